/* wh-ref-dequant.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Block layouts (ggml's, as GGUF stores them; all little-endian):
 *
 *   f32   4 bytes per element
 *   f16   2 bytes per element, IEEE binary16
 *   bf16  2 bytes per element, the top half of an f32
 *   q8_0  32 elements in 34 bytes: f16 d, int8 q[32];     x = q * d
 *   q4_0  32 elements in 18 bytes: f16 d, uint8 qs[16];   x = (nibble - 8) * d
 *         element j < 16 is the low nibble of qs[j], element j + 16 the high
 *   q4_K  256 elements in 144 bytes: f16 d, f16 dmin, uint8 scales[12],
 *         uint8 qs[128].  Eight sub-blocks of 32, each with a 6-bit scale
 *         sc and a 6-bit min m packed into scales[] (see scale_min_k4);
 *         x = (d * sc) * nibble - dmin * m.  Sub-blocks 2c and 2c + 1 take
 *         the low and the high nibbles of qs[32c .. 32c + 31].
 *   q6_K  256 elements in 210 bytes: uint8 ql[128], uint8 qh[64],
 *         int8 scales[16], f16 d.  Sixteen sub-blocks of 16, each with an
 *         int8 scale; 6-bit q = low 4 bits from ql, high 2 bits from qh;
 *         x = (d * scale) * (q - 32).  See dequant_q6_k.
 *   nf4   64 elements in 36 bytes: f32 absmax, uint8 qs[32];
 *         x = NF4[q] * absmax.  Element j is the high nibble of qs[j / 2]
 *         for even j, the low for odd j, as bitsandbytes packs them; the
 *         last block of a row may be short (its absmax taken over what it
 *         has).  Not a ggml type: QLoRA's (see quant_nf4).
 *
 * The products are written in the order ggml evaluates them, so that each
 * result is rounded the same way. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-ref-dequant.h"

#define QK4_0 32
#define QK8_0 32
#define QK_K  256
#define QK_NF4 64

/* The 4-bit NormalFloat levels of the QLoRA paper (Dettmers et al. 2023),
 * the values bitsandbytes' get_4bit_type ("nf4") uses. */
static const float nf4_levels[16] = {
  -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
  -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
  0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
  0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
};

static inline guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

static inline float
bits_float (guint32 u)
{
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

/* a * b rounded to float and never fused into a following add: GCC
 * contracts across statements on targets with FMA, and ggml's results are
 * those of two roundings. */
static inline float
mul_rounded (float a,
             float b)
{
  volatile float p = a * b;

  return p;
}

static inline guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline void
write_u16 (guint8  *p,
           guint16  v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

/* binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits.  Every value
 * is exact in binary32; subnormals (exponent 0) become normals there, and
 * a NaN keeps its payload. */
float
wh_ref_f16_to_f32 (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exp = (h >> 10) & 0x1f;
  guint32 mant = h & 0x3ff;

  if (exp == 0x1f)
    return bits_float (sign | 0x7f800000 | (mant << 13));
  if (exp != 0)
    return bits_float (sign | ((exp + 127 - 15) << 23) | (mant << 13));
  if (mant == 0)
    return bits_float (sign);

  /* mant · 2^-24: shift the leading one up to the implicit bit, lowering
   * the exponent of 2^-14 once per shift. */
  exp = 127 - 14;
  while ((mant & 0x400) == 0)
    {
      mant <<= 1;
      exp--;
    }
  return bits_float (sign | (exp << 23) | ((mant & 0x3ff) << 13));
}

/* Round to nearest, ties to even, as F16C's vcvtps2ph and numpy do; values
 * from 65520 up become infinity, a NaN stays a (quiet) NaN. */
guint16
wh_ref_f32_to_f16 (float f)
{
  guint32 x = float_bits (f);
  guint16 sign = (x >> 16) & 0x8000;
  guint32 ax = x & 0x7fffffff;
  guint32 h, rem;

  if (ax > 0x7f800000)
    return sign | 0x7e00 | ((ax >> 13) & 0x3ff);
  if (ax >= 0x477ff000)                /* 65520: halfway from 65504 to 2^16 */
    return sign | 0x7c00;

  if (ax >= 0x38800000)                /* 2^-14: normal in binary16 */
    {
      h = (ax - ((127 - 15) << 23)) >> 13;
      rem = ax & 0x1fff;
      if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
        h++;                           /* may carry into the exponent: fine */
      return sign | h;
    }

  if (ax <= 0x33000000)                /* up to 2^-25, which ties to 0 */
    return sign;

  /* A subnormal: h = round (|f| / 2^-24) = mant · 2^(e - 126) with e < 113,
   * so a right shift by 14 to 24 bits. */
  {
    guint32 e = ax >> 23;
    guint32 mant = (ax & 0x7fffff) | 0x800000;
    guint32 shift = 126 - e;
    guint32 half = 1u << (shift - 1);

    h = mant >> shift;
    rem = mant & ((1u << shift) - 1);
    if (rem > half || (rem == half && (h & 1)))
      h++;                             /* 0x400 is the smallest normal */
    return sign | h;
  }
}

float
wh_ref_bf16_to_f32 (guint16 h)
{
  return bits_float ((guint32) h << 16);
}

/* ggml_compute_fp32_to_bf16: ties to even; a NaN is made quiet rather than
 * let rounding turn it into infinity. */
guint16
wh_ref_f32_to_bf16 (float f)
{
  guint32 x = float_bits (f);

  if ((x & 0x7fffffff) > 0x7f800000)
    return (x >> 16) | 0x40;
  return (guint16) (((guint64) x + 0x7fff + ((x >> 16) & 1)) >> 16);
}

/* The 6-bit scale and min of sub-block j (0..7) of a q4_K block:
 *
 *   byte  0..3   sc[0..3] in bits 0..5, bits 4..5 of sc[4..7] in bits 6..7
 *   byte  4..7   m[0..3]  in bits 0..5, bits 4..5 of m[4..7]  in bits 6..7
 *   byte  8..11  bits 0..3 of sc[4..7] low, of m[4..7] high
 */
static void
scale_min_k4 (const guint8 *scales,
              guint         j,
              guint8       *sc,
              guint8       *m)
{
  if (j < 4)
    {
      *sc = scales[j] & 0x3f;
      *m = scales[j + 4] & 0x3f;
    }
  else
    {
      *sc = (scales[j + 4] & 0x0f) | ((scales[j - 4] >> 6) << 4);
      *m = (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4);
    }
}

static void
dequant_q8_0 (const guint8 *block,
              float        *y)
{
  const float d = wh_ref_f16_to_f32 (read_u16 (block));

  for (guint j = 0; j < QK8_0; j++)
    y[j] = (float) (gint8) block[2 + j] * d;
}

static void
dequant_q4_0 (const guint8 *block,
              float        *y)
{
  const float d = wh_ref_f16_to_f32 (read_u16 (block));
  const guint8 *qs = block + 2;

  for (guint j = 0; j < QK4_0 / 2; j++)
    {
      y[j] = (float) ((qs[j] & 0x0f) - 8) * d;
      y[j + QK4_0 / 2] = (float) ((qs[j] >> 4) - 8) * d;
    }
}

static void
dequant_q4_k (const guint8 *block,
              float        *y)
{
  const float d = wh_ref_f16_to_f32 (read_u16 (block));
  const float dmin = wh_ref_f16_to_f32 (read_u16 (block + 2));
  const guint8 *scales = block + 4;
  const guint8 *qs = block + 16;

  for (guint s = 0; s < QK_K / 32; s++)
    {
      const guint8 *q = qs + (s / 2) * 32;
      const guint shift = (s & 1) * 4;
      guint8 sc, m;
      float d1, m1;

      scale_min_k4 (scales, s, &sc, &m);
      d1 = d * sc;
      m1 = dmin * m;
      for (guint l = 0; l < 32; l++)
        y[s * 32 + l] = mul_rounded (d1, (float) ((q[l] >> shift) & 0x0f)) - m1;
    }
}

/* Each half of 128 elements takes 64 bytes of ql, 32 of qh and 8 scales.
 * Within a half, element 32k + l (k = 0..3, l = 0..31) has
 *
 *   low 4 bits   nibble k / 2 of ql[l + 32 (k % 2)]
 *   high 2 bits  bits 2k, 2k + 1 of qh[l]
 *   scale        scales[l / 16 + 2k]
 */
static void
dequant_q6_k (const guint8 *block,
              float        *y)
{
  const guint8 *ql = block;
  const guint8 *qh = block + QK_K / 2;
  const gint8 *scales = (const gint8 *) (block + QK_K / 2 + QK_K / 4);
  const float d = wh_ref_f16_to_f32 (read_u16 (block + QK_K / 2 + QK_K / 4 + QK_K / 16));

  for (guint half = 0; half < 2; half++)
    for (guint k = 0; k < 4; k++)
      for (guint l = 0; l < 32; l++)
        {
          guint lo = (ql[64 * half + l + 32 * (k % 2)] >> (4 * (k / 2))) & 0x0f;
          guint hi = (qh[32 * half + l] >> (2 * k)) & 0x03;
          int q = (int) (lo | (hi << 4)) - 32;
          float dl = d * scales[8 * half + l / 16 + 2 * k];

          y[128 * half + 32 * k + l] = dl * (float) q;
        }
}

/* The first @n (at most 64) elements of an nf4 block. */
static void
dequant_nf4 (const guint8 *block,
             float        *y,
             gsize         n)
{
  const float absmax = bits_float (block[0] | (block[1] << 8) | (block[2] << 16) | ((guint32) block[3] << 24));

  for (gsize j = 0; j < n; j++)
    y[j] = nf4_levels[(block[4 + j / 2] >> (j % 2 == 0 ? 4 : 0)) & 0x0f] * absmax;
}

/**
 * wh_ref_dequantize_row:
 * @src: wh_cl_dtype_row_bytes (type, n) bytes
 * @dst: (n) floats, written
 *
 * Decodes @n elements of @type.  f32, f16 and bf16 keep every bit pattern
 * (f16 subnormals, infinities, NaNs included).
 */
void
wh_ref_dequantize_row (WhClDType    type,
                       const void  *src,
                       float       *dst,
                       gsize        n)
{
  const guint8 *p = src;
  gsize block_size, block_bytes;

  if (type == WH_CL_DTYPE_NF4)
    {
      for (gsize i = 0; i < n; i += QK_NF4)
        dequant_nf4 (p + i / QK_NF4 * (4 + QK_NF4 / 2), dst + i, MIN (QK_NF4, n - i));
      return;
    }

  g_return_if_fail (wh_cl_dtype_is_supported (type));
  g_return_if_fail (n % wh_cl_dtype_block_size (type) == 0);

  block_size = wh_cl_dtype_block_size (type);
  block_bytes = wh_cl_dtype_block_bytes (type);

  for (gsize b = 0; b < n / block_size; b++, p += block_bytes)
    {
      float *y = dst + b * block_size;

      switch (type)
        {
        case WH_CL_DTYPE_F32:
          memcpy (y, p, sizeof (float));
          break;
        case WH_CL_DTYPE_F16:
          *y = wh_ref_f16_to_f32 (read_u16 (p));
          break;
        case WH_CL_DTYPE_BF16:
          *y = wh_ref_bf16_to_f32 (read_u16 (p));
          break;
        case WH_CL_DTYPE_Q8_0:
          dequant_q8_0 (p, y);
          break;
        case WH_CL_DTYPE_Q4_0:
          dequant_q4_0 (p, y);
          break;
        case WH_CL_DTYPE_Q4_K:
          dequant_q4_k (p, y);
          break;
        case WH_CL_DTYPE_Q6_K:
          dequant_q6_k (p, y);
          break;
        case WH_CL_DTYPE_NF4:   /* above */
        default:
          g_assert_not_reached ();
        }
    }
}

gboolean
wh_ref_can_quantize (WhClDType type)
{
  switch (type)
    {
    case WH_CL_DTYPE_F32:
    case WH_CL_DTYPE_F16:
    case WH_CL_DTYPE_BF16:
    case WH_CL_DTYPE_Q8_0:
    case WH_CL_DTYPE_Q4_0:
    case WH_CL_DTYPE_NF4:
      return TRUE;
    case WH_CL_DTYPE_Q4_K:
    case WH_CL_DTYPE_Q6_K:
    default:
      return FALSE;
    }
}

/* quantize_row_q8_0_ref: d = max|x| / 127, q = round (x / d) half away from
 * zero, with 1/d taken from the f32 d before d is stored as f16. */
static void
quant_q8_0 (const float *x,
            guint8      *block)
{
  float amax = 0.0f;
  float d, id;

  for (guint j = 0; j < QK8_0; j++)
    amax = MAX (amax, fabsf (x[j]));

  d = amax / 127.0f;
  id = d != 0.0f ? 1.0f / d : 0.0f;
  write_u16 (block, wh_ref_f32_to_f16 (d));
  for (guint j = 0; j < QK8_0; j++)
    block[2 + j] = (guint8) (gint8) roundf (x[j] * id);
}

/* quantize_row_q4_0_ref: d = -max / 8 where max is the first element of
 * largest magnitude (so it maps to nibble 0), nibble = trunc (x / d + 8.5)
 * capped at 15. */
static void
quant_q4_0 (const float *x,
            guint8      *block)
{
  float amax = 0.0f, max = 0.0f;
  float d, id;

  for (guint j = 0; j < QK4_0; j++)
    if (amax < fabsf (x[j]))
      {
        amax = fabsf (x[j]);
        max = x[j];
      }

  d = max / -8.0f;
  id = d != 0.0f ? 1.0f / d : 0.0f;
  write_u16 (block, wh_ref_f32_to_f16 (d));
  for (guint j = 0; j < QK4_0 / 2; j++)
    {
      guint8 lo = MIN (15, (gint8) (mul_rounded (x[j], id) + 8.5f));
      guint8 hi = MIN (15, (gint8) (mul_rounded (x[j + QK4_0 / 2], id) + 8.5f));

      block[2 + j] = lo | (hi << 4);
    }
}

/* QLoRA's NF4 of the first @n (at most 64) elements: absmax = max|x|,
 * each v = x / absmax (an f32 division) to the nearest level, a value
 * exactly halfway between two levels to the lower one; a block of zeros
 * has absmax 0 and level 7 (0).  The padding of a short block is level 7.
 * The midpoints are taken in double, where they are exact: rounded to f32,
 * nine of the fifteen move by half an ulp, and a v equal to such a
 * rounded midpoint would go to the farther level. */
static void
quant_nf4 (const float *x,
           guint8      *block,
           gsize        n)
{
  float absmax = 0.0f;

  for (gsize j = 0; j < n; j++)
    absmax = MAX (absmax, fabsf (x[j]));

  write_u16 (block, float_bits (absmax) & 0xffff);
  write_u16 (block + 2, float_bits (absmax) >> 16);
  memset (block + 4, 0x77, QK_NF4 / 2);
  for (gsize j = 0; j < n; j++)
    {
      float ratio = absmax != 0.0f ? x[j] / absmax : 0.0f;
      double v = ratio;
      guint lo = 0, hi = 15;

      /* q = the number of midpoints below v, by bisection. */
      while (lo < hi)
        {
          guint k = (lo + hi) / 2;

          if (v > ((double) nf4_levels[k] + nf4_levels[k + 1]) * 0.5)
            lo = k + 1;
          else
            hi = k;
        }
      if (j % 2 == 0)
        block[4 + j / 2] = (block[4 + j / 2] & 0x0f) | (lo << 4);
      else
        block[4 + j / 2] = (block[4 + j / 2] & 0xf0) | lo;
    }
}

/**
 * wh_ref_quantize_row:
 * @src: (n) floats
 * @dst: wh_cl_dtype_row_bytes (type, n) bytes, written
 *
 * Encodes @n floats as @type, one of those wh_ref_can_quantize() accepts;
 * @n a multiple of the block size (any @n for nf4).  For test weights,
 * and for the projections wh_model_load_quantized() quantises (QLoRA).
 */
void
wh_ref_quantize_row (WhClDType    type,
                     const float *src,
                     void        *dst,
                     gsize        n)
{
  guint8 *p = dst;
  gsize block_size, block_bytes;

  g_return_if_fail (wh_ref_can_quantize (type));

  if (type == WH_CL_DTYPE_NF4)
    {
      for (gsize i = 0; i < n; i += QK_NF4)
        quant_nf4 (src + i, p + i / QK_NF4 * (4 + QK_NF4 / 2), MIN (QK_NF4, n - i));
      return;
    }

  g_return_if_fail (n % wh_cl_dtype_block_size (type) == 0);

  block_size = wh_cl_dtype_block_size (type);
  block_bytes = wh_cl_dtype_block_bytes (type);

  for (gsize b = 0; b < n / block_size; b++, p += block_bytes)
    {
      const float *x = src + b * block_size;

      switch (type)
        {
        case WH_CL_DTYPE_F32:
          memcpy (p, x, sizeof (float));
          break;
        case WH_CL_DTYPE_F16:
          write_u16 (p, wh_ref_f32_to_f16 (*x));
          break;
        case WH_CL_DTYPE_BF16:
          write_u16 (p, wh_ref_f32_to_bf16 (*x));
          break;
        case WH_CL_DTYPE_Q8_0:
          quant_q8_0 (x, p);
          break;
        case WH_CL_DTYPE_Q4_0:
          quant_q4_0 (x, p);
          break;
        case WH_CL_DTYPE_Q4_K:
        case WH_CL_DTYPE_Q6_K:
        case WH_CL_DTYPE_NF4:
        default:
          g_assert_not_reached ();
        }
    }
}
