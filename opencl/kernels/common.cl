// SPDX-License-Identifier: GPL-3.0-or-later
//
// The prelude of every kernel program: wh-cl-program.c puts this file in
// front of <name>.cl when it builds the program, so what is here must
// compile in each of them.  Helpers only (no kernels), each marked unused
// so that a program which does not call it is not warned about it.
//
// Everything here comes before the programs' own pragmas, so it is built
// with contraction allowed; the programs that turn it off (adamw.cl,
// dequant.cl, matvec.cl) call only helpers whose arithmetic it cannot
// change.

// Sum and max over the work-group (dimension 0), returned to every
// work-item.  Called in uniform control flow; the group size is a power of
// two.  The tree's shape depends only on the group size, so a fixed group
// size gives the same bits on every run.
static inline __attribute__ ((unused)) float
group_reduce (__local float *scratch,
              float          v,
              const bool     take_max)
{
  const uint lid = get_local_id (0);

  scratch[lid] = v;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint s = get_local_size (0) / 2; s > 0; s /= 2)
    {
      if (lid < s)
        scratch[lid] = take_max ? fmax (scratch[lid], scratch[lid + s])
                                : scratch[lid] + scratch[lid + s];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  v = scratch[0];
  barrier (CLK_LOCAL_MEM_FENCE);  // scratch is reused by the next call

  return v;
}

static inline __attribute__ ((unused)) float
group_sum (__local float *scratch,
           float          v)
{
  return group_reduce (scratch, v, false);
}

static inline __attribute__ ((unused)) float
group_max (__local float *scratch,
           float          v)
{
  return group_reduce (scratch, v, true);
}

// RoPE turns the pair (a, b) of token t by θ = (pos0 + t) · inv_freq[p]:
//
//   a' = a cos θ − b sin θ
//   b' = b cos θ + a sin θ
//
// and, with sign = −1, by −θ: a rotation is orthogonal, so that is its
// gradient (backward.cl).  The angle is taken in f32, as Hugging Face
// computes inv_freq · position, and cos/sin are the accurate built-ins:
// at positions in the thousands native_ ones are too coarse.  Forward and
// backward share this, so both turn by the same θ.  Token t is at
// position positions[t], or pos0 + t when positions is NULL.
static inline __attribute__ ((unused)) void
rope_turn (__global float       *a,
           __global float       *b,
           __global const float *inv_freq,
           __global const int   *positions,
           const uint            p,
           const uint            t,
           const uint            pos0,
           const float           sign)
{
  const uint pos = positions != 0 ? (uint) positions[t] : pos0 + t;
  const float angle = (float) pos * inv_freq[p];
  const float c = cos (angle);
  const float s = sign * sin (angle);
  const float va = *a;
  const float vb = *b;

  *a = va * c - vb * s;
  *b = vb * c + va * s;
}

// Little-endian fields of GGUF blocks, read byte by byte: neither a block
// nor a caller's offset need be aligned, and the byte order is GGUF's
// whatever the device's.
static inline __attribute__ ((unused)) uint
load_u16 (__global const uchar *p)
{
  return (uint) p[0] | ((uint) p[1] << 8);
}

static inline __attribute__ ((unused)) uint
load_u32 (__global const uchar *p)
{
  return load_u16 (p) | (load_u16 (p + 2) << 16);
}

// vload_half is exact for every binary16 value (subnormals, inf, NaN) and
// core since OpenCL 1.0; going through private memory frees it from the
// alignment a __global half pointer would need.
static inline __attribute__ ((unused)) float
load_f16 (__global const uchar *p)
{
  ushort h = (ushort) load_u16 (p);

  return vload_half (0, (const __private half *) &h);
}
