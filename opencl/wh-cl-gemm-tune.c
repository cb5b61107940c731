/* wh-cl-gemm-tune.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Per-device tuning of CLBlast's GEMM kernels.
 *
 * CLBlast ships parameters tuned for the devices in its database and
 * generic defaults for the rest; on PoCL's CPU device the defaults run
 * several times slower than the best parameters.  This pass searches the
 * kernels' parameter spaces on the user's own device, within a time
 * budget, and keeps the fastest configuration that also computes the right
 * answer.  The result is cached per device and driver and applied to every
 * later context through CLBlastOverrideParameters().
 *
 * The search visits hand-picked seeds for the kind of device first
 * (small work-groups and wide vectors suit CPUs, larger work-groups GPUs),
 * then samples the rest of the space, which is constrained as CLBlast's own
 * tuner constrains it.  Building one configuration rebuilds CLBlast's whole
 * GEMM program, which takes seconds on PoCL, so the budget is in seconds
 * rather than in candidates. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <clblast_c.h>
#include <glib/gi18n-lib.h>

#include "wh-cl-buffer.h"
#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-gemm.h"
#include "wh-cl-gemm-tune.h"

#define TUNING_FORMAT 1
#define DEFAULT_BUDGET_SECONDS 300.0
#define N_CHECKED_ENTRIES 256
/* A configuration must beat what was in force by this much to replace it:
 * less is within the noise of a busy machine. */
#define MIN_GAIN 1.03

static const char * const xgemm_names[WH_CL_XGEMM_N_PARAMS] = {
  "GEMMK", "KREG", "KWG", "KWI", "MDIMA", "MDIMC", "MWG", "NDIMB",
  "NDIMC", "NWG", "SA", "SB", "STRM", "STRN", "VWM", "VWN",
};

static const char * const xgemm_direct_names[WH_CL_XGEMM_DIRECT_N_PARAMS] = {
  "KWID", "MDIMAD", "MDIMCD", "NDIMBD", "NDIMCD", "PADA", "PADB", "VWMD", "VWND", "WGD",
};

enum { GEMMK, KREG, KWG, KWI, MDIMA, MDIMC, MWG, NDIMB, NDIMC, NWG, SA, SB, STRM, STRN, VWM, VWN };
enum { KWID, MDIMAD, MDIMCD, NDIMBD, NDIMCD, PADA, PADB, VWMD, VWND, WGD };

/* Seeds, in the order above.  CPU ones keep work-groups small (PoCL runs a
 * work-group as a loop on one core, vectorised across work-items) and
 * vectors wide; GPU ones are CLBlast's own defaults and their neighbours. */
static const gsize xgemm_seeds_cpu[][WH_CL_XGEMM_N_PARAMS] = {
  { 0, 1, 32, 2, 4, 4,  64, 4, 4,  64, 0, 0, 0, 0, 8, 8 },
  { 0, 1, 32, 2, 8, 8,  64, 8, 8,  64, 1, 1, 0, 0, 8, 8 },
  { 0, 1, 32, 2, 4, 4, 128, 4, 4,  64, 0, 0, 0, 0, 8, 8 },
  { 0, 1, 16, 2, 8, 8, 128, 8, 8, 128, 0, 0, 0, 0, 8, 8 },
  { 0, 1, 32, 2, 4, 4,  64, 4, 4,  64, 1, 1, 0, 0, 8, 8 },
  { 0, 1, 32, 2, 4, 4,  64, 4, 4, 128, 0, 0, 0, 0, 16, 16 },
};
static const gsize xgemm_seeds_gpu[][WH_CL_XGEMM_N_PARAMS] = {
  { 0, 1, 32, 2, 16, 16,  64,  8,  8,  64, 1, 1, 0, 0, 4, 4 },
  { 0, 1, 32, 2,  8,  8,  64, 16, 16,  64, 1, 1, 0, 0, 4, 4 },
  { 0, 1, 32, 2, 16, 16,  64, 16, 16,  64, 0, 0, 0, 0, 4, 4 },
  { 0, 1, 32, 2,  8,  8, 128, 32, 16, 128, 1, 1, 1, 1, 4, 4 },
  { 0, 1, 16, 2, 16, 16,  64,  8,  8, 128, 1, 1, 0, 0, 2, 8 },
};
static const gsize direct_seeds_cpu[][WH_CL_XGEMM_DIRECT_N_PARAMS] = {
  { 2, 4, 4, 4, 4, 0, 0, 8, 2, 32 },
  { 2, 8, 8, 8, 8, 0, 0, 4, 2, 32 },
  { 8, 4, 4, 4, 4, 0, 0, 8, 4, 32 },
  { 2, 8, 8, 8, 8, 1, 1, 2, 2, 16 },
};
static const gsize direct_seeds_gpu[][WH_CL_XGEMM_DIRECT_N_PARAMS] = {
  { 2, 8, 8, 8, 8, 1, 1, 2, 2, 32 },
  { 2, 16, 16, 8, 8, 1, 1, 2, 1, 16 },
  { 8, 16, 16, 16, 16, 1, 1, 2, 2, 32 },
};

typedef struct
{
  gboolean            direct;
  const char         *kernel_name;
  const char * const *names;
  guint               n_params;
  gsize               m, n, k;
} Family;

static gboolean
xgemm_valid (const gsize              *p,
             const WhClDeviceInfo     *device)
{
  gsize wg = p[MDIMC] * p[NDIMC];
  gsize local_bytes;

  for (guint i = 0; i < WH_CL_XGEMM_N_PARAMS; i++)
    if (p[i] > 256 || (p[i] == 0 && (i == KWG || i == KWI || i == MDIMA || i == MDIMC || i == MWG ||
                                     i == NDIMB || i == NDIMC || i == NWG || i == VWM || i == VWN)))
      return FALSE;

  local_bytes = ((p[SA] ? p[KWG] * p[MWG] : 0) + (p[SB] ? p[KWG] * p[NWG] : 0)) * sizeof (float);

  if (p[KWG] % p[KWI] != 0 ||
      p[MWG] % (p[MDIMC] * p[VWM]) != 0 ||
      p[NWG] % (p[NDIMC] * p[VWN]) != 0 ||
      p[MWG] % (p[MDIMA] * p[VWM]) != 0 ||
      p[NWG] % (p[NDIMB] * p[VWN]) != 0 ||
      (wg / p[MDIMA]) == 0 || p[KWG] % (wg / p[MDIMA]) != 0 ||
      (wg / p[NDIMB]) == 0 || p[KWG] % (wg / p[NDIMB]) != 0)
    return FALSE;

  return wg <= device->max_work_group_size && local_bytes <= device->local_mem_size;
}

static gboolean
direct_valid (const gsize          *p,
              const WhClDeviceInfo *device)
{
  gsize wg = p[MDIMCD] * p[NDIMCD];
  gsize local_bytes;

  for (guint i = 0; i < WH_CL_XGEMM_DIRECT_N_PARAMS; i++)
    if (p[i] > 256 || (p[i] == 0 && i != PADA && i != PADB))
      return FALSE;

  local_bytes = (p[WGD] * (p[WGD] + p[PADA]) + p[WGD] * (p[WGD] + p[PADB])) * sizeof (float);

  if (p[WGD] % p[KWID] != 0 ||
      p[WGD] % (p[MDIMCD] * p[VWMD]) != 0 ||
      p[WGD] % (p[NDIMCD] * p[VWND]) != 0 ||
      p[WGD] % (p[MDIMAD] * p[VWMD]) != 0 ||
      p[WGD] % (p[NDIMBD] * p[VWND]) != 0 ||
      (wg / p[MDIMAD]) == 0 || p[WGD] % (wg / p[MDIMAD]) != 0 ||
      (wg / p[NDIMBD]) == 0 || p[WGD] % (wg / p[NDIMBD]) != 0)
    return FALSE;

  return wg <= device->max_work_group_size && local_bytes <= device->local_mem_size;
}

static gsize
pick (GRand       *rand,
      const gsize *values,
      guint        n_values)
{
  return values[g_rand_int_range (rand, 0, n_values)];
}

#define PICK(rand, ...) \
  pick ((rand), (const gsize[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const gsize[]) { __VA_ARGS__ })))

static void
sample_xgemm (GRand    *rand,
              gboolean  cpu,
              gsize    *p)
{
  p[GEMMK] = 0;
  p[KREG] = 1;
  p[KWI] = 2;
  p[KWG] = PICK (rand, 16, 32);
  p[MWG] = PICK (rand, 16, 32, 64, 128);
  p[NWG] = PICK (rand, 16, 32, 64, 128);
  if (cpu)
    {
      p[MDIMC] = PICK (rand, 2, 4, 8);
      p[NDIMC] = PICK (rand, 2, 4, 8);
      p[VWM] = PICK (rand, 4, 8, 16);
      p[VWN] = PICK (rand, 4, 8, 16);
    }
  else
    {
      p[MDIMC] = PICK (rand, 8, 16, 32);
      p[NDIMC] = PICK (rand, 8, 16, 32);
      p[VWM] = PICK (rand, 1, 2, 4, 8);
      p[VWN] = PICK (rand, 1, 2, 4, 8);
    }
  p[MDIMA] = g_rand_boolean (rand) ? p[MDIMC] : PICK (rand, 4, 8, 16, 32);
  p[NDIMB] = g_rand_boolean (rand) ? p[NDIMC] : PICK (rand, 4, 8, 16, 32);
  p[STRM] = PICK (rand, 0, 1);
  p[STRN] = PICK (rand, 0, 1);
  p[SA] = PICK (rand, 0, 1);
  p[SB] = PICK (rand, 0, 1);
}

static void
sample_direct (GRand    *rand,
               gboolean  cpu,
               gsize    *p)
{
  p[WGD] = PICK (rand, 8, 16, 32, 64);
  p[KWID] = PICK (rand, 2, 8);
  p[MDIMCD] = cpu ? PICK (rand, 2, 4, 8) : PICK (rand, 8, 16, 32);
  p[NDIMCD] = cpu ? PICK (rand, 2, 4, 8) : PICK (rand, 8, 16, 32);
  p[MDIMAD] = g_rand_boolean (rand) ? p[MDIMCD] : PICK (rand, 4, 8, 16, 32);
  p[NDIMBD] = g_rand_boolean (rand) ? p[NDIMCD] : PICK (rand, 4, 8, 16, 32);
  p[VWMD] = cpu ? PICK (rand, 2, 4, 8) : PICK (rand, 1, 2, 4, 8);
  p[VWND] = cpu ? PICK (rand, 2, 4, 8) : PICK (rand, 1, 2, 4, 8);
  p[PADA] = PICK (rand, 0, 1);
  p[PADB] = PICK (rand, 0, 1);
}

/* The candidates of one family, seeds first, without duplicates. */
static GArray *
make_candidates (const Family         *family,
                 const WhClDeviceInfo *device,
                 guint32               seed,
                 guint                 max_candidates)
{
  gboolean cpu = device->kind == WH_CL_DEVICE_KIND_CPU;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (gsize) * WH_CL_XGEMM_N_PARAMS);
  const gsize *seeds;
  guint n_seeds;
  guint attempts = 0;

  if (family->direct)
    {
      seeds = cpu ? &direct_seeds_cpu[0][0] : &direct_seeds_gpu[0][0];
      n_seeds = cpu ? G_N_ELEMENTS (direct_seeds_cpu) : G_N_ELEMENTS (direct_seeds_gpu);
    }
  else
    {
      seeds = cpu ? &xgemm_seeds_cpu[0][0] : &xgemm_seeds_gpu[0][0];
      n_seeds = cpu ? G_N_ELEMENTS (xgemm_seeds_cpu) : G_N_ELEMENTS (xgemm_seeds_gpu);
    }

  while (out->len < max_candidates && attempts < 100000)
    {
      gsize p[WH_CL_XGEMM_N_PARAMS] = { 0 };
      GString *key;
      gboolean valid;

      if (attempts < n_seeds)
        memcpy (p, seeds + attempts * family->n_params, family->n_params * sizeof (gsize));
      else if (family->direct)
        sample_direct (rand, cpu, p);
      else
        sample_xgemm (rand, cpu, p);
      attempts++;

      valid = family->direct ? direct_valid (p, device) : xgemm_valid (p, device);
      if (!valid)
        continue;

      key = g_string_new (NULL);
      for (guint i = 0; i < family->n_params; i++)
        g_string_append_printf (key, "%zu,", p[i]);
      if (g_hash_table_add (seen, g_string_free (key, FALSE)))
        g_array_append_vals (out, p, 1);
    }

  return out;
}

static gboolean
apply_params (WhClContext  *ctx,
              const Family *family,
              const gsize  *params,
              GError      **error)
{
  int status = CLBlastOverrideParameters (ctx->device->device_id, family->kernel_name,
                                          CLBlastPrecisionSingle, family->n_params,
                                          (const char **) family->names, params);

  return wh_clblast_check (status, "Tuning GEMM", error);
}

typedef struct
{
  WhClBuffer *a, *b, *c;
  float      *host_a, *host_b, *host_c;
  gsize       check_idx[N_CHECKED_ENTRIES];
  double      check_want[N_CHECKED_ENTRIES];
} Problem;

static void
problem_clear (Problem *pb)
{
  g_clear_pointer (&pb->a, wh_cl_buffer_free);
  g_clear_pointer (&pb->b, wh_cl_buffer_free);
  g_clear_pointer (&pb->c, wh_cl_buffer_free);
  g_clear_pointer (&pb->host_a, g_free);
  g_clear_pointer (&pb->host_b, g_free);
  g_clear_pointer (&pb->host_c, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Problem, problem_clear)

/* A (m, k) and B (k, n) of small random values, and N_CHECKED_ENTRIES
 * entries of the product computed on the host in double: enough to catch a
 * configuration that computes garbage, at a fraction of a full reference. */
static gboolean
problem_init (Problem       *pb,
              WhClContext   *ctx,
              const Family  *family,
              GRand         *rand,
              GError       **error)
{
  gsize m = family->m, n = family->n, k = family->k;

  pb->host_a = g_new (float, m * k);
  pb->host_b = g_new (float, k * n);
  pb->host_c = g_new (float, m * n);
  for (gsize i = 0; i < m * k; i++)
    pb->host_a[i] = g_rand_double_range (rand, -1.0, 1.0);
  for (gsize i = 0; i < k * n; i++)
    pb->host_b[i] = g_rand_double_range (rand, -1.0, 1.0);

  for (guint t = 0; t < N_CHECKED_ENTRIES; t++)
    {
      gsize i = g_rand_int_range (rand, 0, m);
      gsize j = g_rand_int_range (rand, 0, n);
      double acc = 0.0;

      for (gsize p = 0; p < k; p++)
        acc += (double) pb->host_a[i * k + p] * pb->host_b[p * n + j];
      pb->check_idx[t] = i * n + j;
      pb->check_want[t] = acc;
    }

  if (!(pb->a = wh_cl_buffer_new (ctx, m * k * sizeof (float), error)) ||
      !(pb->b = wh_cl_buffer_new (ctx, k * n * sizeof (float), error)) ||
      !(pb->c = wh_cl_buffer_new (ctx, m * n * sizeof (float), error)) ||
      !wh_cl_buffer_write (pb->a, 0, pb->host_a, m * k * sizeof (float), error) ||
      !wh_cl_buffer_write (pb->b, 0, pb->host_b, k * n * sizeof (float), error))
    return FALSE;

  return TRUE;
}

static gboolean
run_once (WhClContext   *ctx,
          const Family  *family,
          Problem       *pb,
          double        *seconds,
          GError       **error)
{
  WhClMatrix a = { pb->a, 0, family->k };
  WhClMatrix b = { pb->b, 0, family->n };
  WhClMatrix c = { pb->c, 0, family->n };
  gint64 start = g_get_monotonic_time ();

  if (!wh_cl_gemm (ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, family->m, family->n, family->k,
                   1.0f, &a, &b, 0.0f, &c, error) ||
      !wh_cl_context_finish (ctx, error))
    return FALSE;

  *seconds = (g_get_monotonic_time () - start) / 1e6;
  return TRUE;
}

static gboolean
result_is_right (const Family *family,
                 Problem      *pb,
                 GError      **error)
{
  if (!wh_cl_buffer_read (pb->c, 0, pb->host_c, family->m * family->n * sizeof (float), error))
    return FALSE;

  for (guint t = 0; t < N_CHECKED_ENTRIES; t++)
    {
      double got = pb->host_c[pb->check_idx[t]];
      double want = pb->check_want[t];

      /* f32 accumulation over k terms of magnitude ≤ 1 */
      if (!(fabs (got - want) <= 1e-4 * family->k + 1e-3 * fabs (want)))
        return FALSE;
    }

  return TRUE;
}

/* Builds (by running once), checks, then times the configuration in force:
 * the best of a few runs, at least 0.2 s of them. */
static double
measure (WhClContext   *ctx,
         const Family  *family,
         Problem       *pb,
         GError       **error)
{
  double flops = 2.0 * family->m * family->n * family->k;
  double best = G_MAXDOUBLE;
  double total = 0.0;
  double t;

  if (!run_once (ctx, family, pb, &t, error))
    return -1.0;

  if (!result_is_right (family, pb, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED, "wrong result");
      return -1.0;
    }

  for (guint rep = 0; rep < 10 && (rep < 2 || total < 0.2); rep++)
    {
      if (!run_once (ctx, family, pb, &t, error))
        return -1.0;
      best = MIN (best, t);
      total += t;
    }

  return flops / best * 1e-9;
}

static gboolean
tune_family (WhClContext                *ctx,
             const Family               *family,
             const WhClGemmTuneOptions  *options,
             double                      deadline,
             WhClGemmTuneProgress        progress,
             gpointer                    user_data,
             GCancellable               *cancellable,
             WhClGemmTuneKernel         *out,
             GError                    **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (options->seed);
  g_autoptr(GArray) candidates = NULL;
  g_auto(Problem) pb = { 0 };
  g_autoptr(GError) local_error = NULL;
  guint limit = options->max_candidates ? options->max_candidates : 512;

  memset (out, 0, sizeof *out);
  out->m = family->m;
  out->n = family->n;
  out->k = family->k;

  if (!problem_init (&pb, ctx, family, rand, error))
    return FALSE;

  /* What is in force now: CLBlast's defaults, or an earlier tuning. */
  out->default_gflops = measure (ctx, family, &pb, &local_error);
  if (out->default_gflops < 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  out->best_gflops = out->default_gflops;

  candidates = make_candidates (family, ctx->device, options->seed, limit);

  for (guint i = 0; i < candidates->len; i++)
    {
      const gsize *p = &g_array_index (candidates, gsize, i * WH_CL_XGEMM_N_PARAMS);
      double gflops;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (i > 0 && g_get_monotonic_time () / 1e6 > deadline)
        break;

      if (!apply_params (ctx, family, p, error))
        return FALSE;

      out->n_tried++;
      gflops = measure (ctx, family, &pb, &local_error);
      if (gflops < 0)
        {
          g_debug ("%s candidate %u rejected: %s", family->kernel_name, i, local_error->message);
          g_clear_error (&local_error);
          out->n_rejected++;
        }
      else if (gflops > out->best_gflops && gflops > MIN_GAIN * out->default_gflops)
        {
          out->found = TRUE;
          out->best_gflops = gflops;
          memcpy (out->params, p, family->n_params * sizeof (gsize));
        }

      if (progress != NULL)
        progress (family->kernel_name, i + 1, candidates->len, out->best_gflops, user_data);
    }

  return TRUE;
}

char *
wh_cl_gemm_dup_tuning_path (WhClContext *ctx)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (ctx != NULL, NULL);

  name = g_strconcat (ctx->cache_key, ".ini", NULL);
  return g_build_filename (ctx->cache_dir, "tuning", name, NULL);
}

gboolean
wh_cl_gemm_has_cached_tuning (WhClContext *ctx)
{
  g_autofree char *path = wh_cl_gemm_dup_tuning_path (ctx);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

char *
wh_cl_gemm_dup_params_string (const WhClGemmTuneKernel *kernel,
                              gboolean                  direct)
{
  const char * const *names = direct ? xgemm_direct_names : xgemm_names;
  guint n = direct ? WH_CL_XGEMM_DIRECT_N_PARAMS : WH_CL_XGEMM_N_PARAMS;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s=%zu", i ? " " : "", names[i], kernel->params[i]);

  return g_string_free (s, FALSE);
}

static void
save_kernel (GKeyFile                 *kf,
             const Family             *family,
             const WhClGemmTuneKernel *kernel)
{
  g_autofree char *shape = g_strdup_printf ("%zux%zux%zu", kernel->m, kernel->n, kernel->k);

  g_key_file_set_string (kf, family->kernel_name, "shape", shape);
  g_key_file_set_double (kf, family->kernel_name, "baseline-gflops", kernel->default_gflops);
  g_key_file_set_double (kf, family->kernel_name, "gflops", kernel->best_gflops);
  g_key_file_set_integer (kf, family->kernel_name, "tried", kernel->n_tried);
  g_key_file_set_boolean (kf, family->kernel_name, "override", kernel->found);

  if (kernel->found)
    for (guint i = 0; i < family->n_params; i++)
      g_key_file_set_uint64 (kf, family->kernel_name, family->names[i], kernel->params[i]);
}

static gboolean
save_tuning (WhClContext           *ctx,
             const Family          *families,
             const WhClGemmTuning  *tuning,
             GError               **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = wh_cl_gemm_dup_tuning_path (ctx);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();
  gsize length;

  now = g_date_time_format_iso8601 (dt);
  g_key_file_set_integer (kf, "tuning", "format", TUNING_FORMAT);
  g_key_file_set_string (kf, "tuning", "device", ctx->device->name);
  g_key_file_set_string (kf, "tuning", "platform", ctx->device->platform_name);
  g_key_file_set_string (kf, "tuning", "driver", ctx->device->driver_version);
  g_key_file_set_string (kf, "tuning", "date", now);
  g_key_file_set_double (kf, "tuning", "seconds", tuning->seconds);
  save_kernel (kf, &families[0], &tuning->xgemm);
  save_kernel (kf, &families[1], &tuning->xgemm_direct);

  data = g_key_file_to_data (kf, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
get_families (Family   families[2],
              gboolean small)
{
  /* Xgemm on the shape of a 1B model's attention projection over 512
   * tokens; XgemmDirect on a rank-16 LoRA product of the same layer. */
  families[0] = (Family) { FALSE, "Xgemm", xgemm_names, WH_CL_XGEMM_N_PARAMS, 512, 2048, 2048 };
  families[1] = (Family) { TRUE, "XgemmDirect", xgemm_direct_names, WH_CL_XGEMM_DIRECT_N_PARAMS, 512, 16, 2048 };

  if (small)
    for (guint f = 0; f < 2; f++)
      {
        families[f].m /= 4;
        families[f].n = MAX (families[f].n / 8, 8);
        families[f].k /= 8;
      }
}

/**
 * wh_cl_gemm_tune:
 * @options: (nullable): budget and seed; %NULL for the defaults (five minutes)
 * @progress: (nullable): called after each candidate
 * @result: (out caller-allocates) (optional): what was found
 *
 * Searches GEMM parameters for the context's device, applies the best and
 * caches them for later contexts on the same device and driver.  Blocks
 * the calling thread (the device's compute thread) for up to the budget.
 */
gboolean
wh_cl_gemm_tune (WhClContext                *ctx,
                 const WhClGemmTuneOptions  *options,
                 WhClGemmTuneProgress        progress,
                 gpointer                    user_data,
                 GCancellable               *cancellable,
                 WhClGemmTuning             *result,
                 GError                    **error)
{
  WhClGemmTuneOptions opts = { 0 };
  WhClGemmTuning tuning = { 0 };
  Family families[2];
  double start = g_get_monotonic_time () / 1e6;
  double budget;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options != NULL)
    opts = *options;
  budget = opts.budget_seconds > 0 ? opts.budget_seconds : DEFAULT_BUDGET_SECONDS;
  get_families (families, opts.small);

  /* Large products carry most of a training step's time: they get 70%. */
  if (!tune_family (ctx, &families[0], &opts, start + 0.7 * budget, progress, user_data,
                    cancellable, &tuning.xgemm, error) ||
      (tuning.xgemm.found && !apply_params (ctx, &families[0], tuning.xgemm.params, error)) ||
      !tune_family (ctx, &families[1], &opts, start + budget, progress, user_data,
                    cancellable, &tuning.xgemm_direct, error))
    {
      /* Leave CLBlast as it was found: whatever is cached, else defaults
       * for this process (there is no way to un-override). */
      wh_cl_gemm_apply_cached_tuning (ctx, NULL);
      return FALSE;
    }

  for (guint f = 0; f < 2; f++)
    {
      const WhClGemmTuneKernel *kernel = f == 0 ? &tuning.xgemm : &tuning.xgemm_direct;

      if (kernel->found && !apply_params (ctx, &families[f], kernel->params, error))
        return FALSE;
    }

  tuning.seconds = g_get_monotonic_time () / 1e6 - start;

  if (!save_tuning (ctx, families, &tuning, error))
    return FALSE;

  if (result != NULL)
    *result = tuning;

  return TRUE;
}

/**
 * wh_cl_gemm_apply_cached_tuning:
 *
 * Applies what an earlier wh_cl_gemm_tune() found for this device and
 * driver.  No cache is not an error.  A damaged cache is, and CLBlast's
 * defaults stay in force.
 */
gboolean
wh_cl_gemm_apply_cached_tuning (WhClContext  *ctx,
                                GError      **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = wh_cl_gemm_dup_tuning_path (ctx);
  g_autoptr(GError) local_error = NULL;
  Family families[2];

  g_return_val_if_fail (ctx != NULL, FALSE);

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      /* No cache, or no cache folder (a test's isolated one). */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return TRUE;

      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                   _("Ignoring the GEMM tuning cached in %s: %s. Run “whetstone-cli tune” to tune again."),
                   path, local_error->message);
      return FALSE;
    }

  get_families (families, FALSE);

  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    {
      gsize params[WH_CL_XGEMM_N_PARAMS] = { 0 };

      if (!g_key_file_get_boolean (kf, families[f].kernel_name, "override", NULL))
        continue;

      for (guint i = 0; i < families[f].n_params; i++)
        {
          params[i] = g_key_file_get_uint64 (kf, families[f].kernel_name, families[f].names[i], &local_error);
          if (local_error != NULL)
            {
              g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                           _("Ignoring the GEMM tuning cached in %s: %s. Run “whetstone-cli tune” to tune again."),
                           path, local_error->message);
              return FALSE;
            }
        }

      if (!(families[f].direct ? direct_valid (params, ctx->device) : xgemm_valid (params, ctx->device)))
        {
          g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED,
                       _("Ignoring the GEMM tuning cached in %s: its %s parameters are not valid for %s. "
                         "Run “whetstone-cli tune” to tune again."),
                       path, families[f].kernel_name, ctx->device->name);
          return FALSE;
        }

      if (!apply_params (ctx, &families[f], params, error))
        return FALSE;
    }

  return TRUE;
}
