// SPDX-License-Identifier: GPL-3.0-or-later
//
// out (n, out_ld) = x (n, cols) · Wᵀ for n ≤ MAXN, W (rows, cols) kept in
// its ggml type (layouts in dequant.cl) and decoded in registers: what
// decoding one token at a time needs.  Dequantising into an f32 scratch and
// running a GEMM writes and re-reads four bytes per weight; here each
// weight is read once, in its compact form, and used for all n rows of x.
//
// Run as a 2-D NDRange of groups (width, rows per group): local id 0
// strides over the units of one row of W, local id 1 picks the row.  A
// unit is 32 consecutive elements of a block type (a q8_0 or q4_0 block, a
// q4_K or q6_K sub-block with its own scales) or 8 of a float type, decoded
// once, 8 elements at a time, and multiplied into n float8 accumulators, x
// being read straight from global memory.  The accumulators are then summed
// across the row's work-items by a tree in __local scratch of (rows per
// group, n, width) floats; the width is a power of two.
//
// Two kernels per type: matvec_row_<type> for n = 1, where the tests of
// r < n fold away (on PoCL that halves the time of a q8_0 row), and
// matvec_rows_<type> for any n ≤ MAXN.  A kernel for every n was no faster
// for n > 1 and quadrupled the program's build time.
//
// Each weight is decoded to the float dequant.cl writes for it (the same
// arithmetic, in its order, with contraction off); only the rounding of
// the products and sums differs (mad, another order).  Quantised blocks are
// read byte by byte (their fields need not be aligned beyond two bytes);
// rows of f32, f16 and bf16 are aligned, W starting at byte 0 of its
// buffer, and are loaded as vectors on little-endian devices.

#pragma OPENCL FP_CONTRACT OFF

#define MAXN 8   // WH_CL_MATVEC_MAX_ROWS

// load_u16, load_u32 and load_f16 are common.cl's, the prelude of every
// program.

static inline float
hsum8 (float8 v)
{
  float4 a = v.lo + v.hi;
  float2 b = a.lo + a.hi;

  return b.x + b.y;
}

// acc[r] += wv · x[r, col .. col + 7] for r < N.  The loop over MAXN is
// unrolled, so that acc stays in registers, and the test of r < N is
// uniform; where N is the constant 1 it folds away.
#define ACCUMULATE(wv, col)                                                   \
  do                                                                          \
    {                                                                         \
      const float8 wv_ = (wv);                                                \
      _Pragma ("unroll")                                                      \
      for (uint r_ = 0; r_ < MAXN; r_++)                                      \
        if (r_ < N)                                                           \
          acc[r_] = mad (wv_, vload8 (0, x + r_ * cols + (col)), acc[r_]);    \
    }                                                                         \
  while (0)

// ---- the float types: a unit is 8 elements, the tail one at a time --------

#define UNIT_F   8

static inline float8
load8_f32 (__global const uchar *p)
{
#ifdef __ENDIAN_LITTLE__
  return vload8 (0, (__global const float *) p);
#else
  float8 v;
  float *e = (float *) &v;
  for (uint i = 0; i < 8; i++)
    e[i] = as_float (load_u32 (p + 4 * i));
  return v;
#endif
}

static inline float8
load8_f16 (__global const uchar *p)
{
#ifdef __ENDIAN_LITTLE__
  return vload_half8 (0, (__global const half *) p);
#else
  float8 v;
  float *e = (float *) &v;
  for (uint i = 0; i < 8; i++)
    e[i] = load_f16 (p + 2 * i);
  return v;
#endif
}

static inline float8
load8_bf16 (__global const uchar *p)
{
#ifdef __ENDIAN_LITTLE__
  return as_float8 (convert_uint8 (vload8 (0, (__global const ushort *) p)) << 16);
#else
  uint8 v;
  uint *e = (uint *) &v;
  for (uint i = 0; i < 8; i++)
    e[i] = load_u16 (p + 2 * i) << 16;
  return as_float8 (v);
#endif
}

static inline float
load1_f32 (__global const uchar *p)
{
  return as_float (load_u32 (p));
}

static inline float
load1_bf16 (__global const uchar *p)
{
  return as_float (load_u16 (p) << 16);
}

#define load1_f16 load_f16

// ---- the block types: a unit is 32 elements ------------------------------

#define UNIT_Q   32

// q8_0 block u: x = q * d.
#define UNIT_Q8_0(row_w, u)                                                   \
  do                                                                          \
    {                                                                         \
      __global const uchar *block_ = (row_w) + (ulong) (u) * 34;              \
      __global const char *qs_ = (__global const char *) (block_ + 2);        \
      const float d_ = load_f16 (block_);                                     \
      for (uint c_ = 0; c_ < 4; c_++)                                         \
        {                                                                     \
          const float8 q_ = convert_float8 (vload8 (c_, qs_));                \
          ACCUMULATE (q_ * d_, (u) * 32 + 8 * c_);                            \
        }                                                                     \
    }                                                                         \
  while (0)

// q4_0 block u: x = (nibble - 8) * d; elements 0..15 are the low nibbles
// of qs[0..15], 16..31 the high ones.
#define UNIT_Q4_0(row_w, u)                                                   \
  do                                                                          \
    {                                                                         \
      __global const uchar *block_ = (row_w) + (ulong) (u) * 18;              \
      const float d_ = load_f16 (block_);                                     \
      for (uint c_ = 0; c_ < 4; c_++)                                         \
        {                                                                     \
          const uchar shift_ = (c_ >> 1) << 2;                                \
          const uchar8 b_ = vload8 (c_ & 1, block_ + 2);                      \
          const int8 q_ = convert_int8 ((b_ >> shift_) & (uchar) 0x0f);       \
          ACCUMULATE (convert_float8 (q_ - 8) * d_, (u) * 32 + 8 * c_);       \
        }                                                                     \
    }                                                                         \
  while (0)

// q4_K sub-block u (block u / 8, sub-block s = u % 8):
// x = (d * sc) * nibble - dmin * m, the nibble the low (s even) or high
// (s odd) half of qs[32 (s / 2) + l]; sc and m unpacked as in dequant.cl.
#define UNIT_Q4_K(row_w, u)                                                   \
  do                                                                          \
    {                                                                         \
      __global const uchar *block_ = (row_w) + (ulong) ((u) >> 3) * 144;      \
      __global const uchar *scales_ = block_ + 4;                             \
      const uint s_ = (u) & 7;                                                \
      uint sc_, m_;                                                           \
      if (s_ < 4)                                                             \
        {                                                                     \
          sc_ = scales_[s_] & 0x3f;                                           \
          m_ = scales_[s_ + 4] & 0x3f;                                        \
        }                                                                     \
      else                                                                    \
        {                                                                     \
          sc_ = (scales_[s_ + 4] & 0x0f) | ((scales_[s_ - 4] >> 6) << 4);     \
          m_ = (scales_[s_ + 4] >> 4) | ((scales_[s_] >> 6) << 4);            \
        }                                                                     \
      const float d1_ = load_f16 (block_) * (float) sc_;                      \
      const float m1_ = load_f16 (block_ + 2) * (float) m_;                   \
      __global const uchar *qs_ = block_ + 16 + ((s_ >> 1) << 5);             \
      const uchar shift_ = (s_ & 1) << 2;                                     \
      for (uint c_ = 0; c_ < 4; c_++)                                         \
        {                                                                     \
          const uchar8 b_ = (vload8 (c_, qs_) >> shift_) & (uchar) 0x0f;      \
          const float8 q_ = convert_float8 (b_);                              \
          const float8 p_ = d1_ * q_;                                         \
          ACCUMULATE (p_ - m1_, (u) * 32 + 8 * c_);                           \
        }                                                                     \
    }                                                                         \
  while (0)

// q6_K elements 32 u .. 32 u + 31, that is 128 h + 32 k + l of block u / 8
// with h = (u % 8) / 4, k = u % 4, l = 0..31:
//   low 4 bits   nibble k / 2 of ql[64 h + 32 (k % 2) + l]
//   high 2 bits  bits 2k, 2k + 1 of qh[32 h + l]
//   scale        scales[8 h + 2 k + l / 16]
#define UNIT_Q6_K(row_w, u)                                                   \
  do                                                                          \
    {                                                                         \
      __global const uchar *block_ = (row_w) + (ulong) ((u) >> 3) * 210;      \
      const uint h_ = ((u) >> 2) & 1;                                         \
      const uint k_ = (u) & 3;                                                \
      __global const uchar *ql_ = block_ + 64 * h_ + 32 * (k_ & 1);           \
      __global const uchar *qh_ = block_ + 128 + 32 * h_;                     \
      __global const char *sc_ =                                              \
        (__global const char *) (block_ + 192 + 8 * h_ + 2 * k_);             \
      const uchar lo_shift_ = (k_ >> 1) << 2;                                 \
      const uchar hi_shift_ = 2 * k_;                                         \
      const float d_ = load_f16 (block_ + 208);                               \
      for (uint c_ = 0; c_ < 4; c_++)                                         \
        {                                                                     \
          const uchar8 lo_ = (vload8 (c_, ql_) >> lo_shift_) & (uchar) 0x0f;  \
          const uchar8 hi_ = (vload8 (c_, qh_) >> hi_shift_) & (uchar) 0x03;  \
          const int8 q_ = convert_int8 (lo_ | (hi_ << (uchar) 4)) - 32;       \
          const float dl_ = d_ * (float) sc_[c_ >> 1];                        \
          ACCUMULATE (dl_ * convert_float8 (q_), (u) * 32 + 8 * c_);          \
        }                                                                     \
    }                                                                         \
  while (0)

// ---- the kernels ---------------------------------------------------------

// Sums acc[r] across local id 0 and writes out[r, row] for r < N.  Reached
// by every work-item of the group, those of rows past the end included.
#define REDUCE_AND_STORE()                                                    \
  do                                                                          \
    {                                                                         \
      __local float *part = scratch + get_local_id (1) * N * width;           \
                                                                              \
      _Pragma ("unroll")                                                      \
      for (uint r = 0; r < MAXN; r++)                                         \
        if (r < N)                                                            \
          part[r * width + lid] = hsum8 (acc[r]);                             \
      barrier (CLK_LOCAL_MEM_FENCE);                                          \
                                                                              \
      for (uint s = width / 2; s > 0; s /= 2)                                 \
        {                                                                     \
          if (lid < s)                                                        \
            for (uint r = 0; r < N; r++)                                      \
              part[r * width + lid] += part[r * width + lid + s];             \
          barrier (CLK_LOCAL_MEM_FENCE);                                      \
        }                                                                     \
                                                                              \
      for (uint r = lid; valid && r < N; r += width)                          \
        out[r * out_ld + row] = part[r * width];                              \
    }                                                                         \
  while (0)

// N: the rows of x, the constant 1 (kernels matvec_row_*, single-token
// decoding: no test survives compilation) or the argument n (matvec_rows_*,
// n ≤ MAXN).
#define MATVEC_PROLOGUE(NROWS)                                                \
  const uint N = (NROWS);                                                     \
  const uint lid = get_local_id (0);                                          \
  const uint width = get_local_size (0);                                      \
  const uint row = get_global_id (1);                                         \
  const bool valid = row < rows;                                              \
  __global const uchar *row_w = w + (ulong) row * row_bytes;                  \
  float8 acc[MAXN];                                                           \
                                                                              \
  for (uint r = 0; r < MAXN; r++)                                             \
    acc[r] = 0.0f

#define MATVEC_ARGS                                                           \
  __global float        *out,       /* (n, out_ld) */                         \
  const uint             out_ld,                                              \
  __global const float  *x,         /* (n, cols) */                           \
  const uint             n,                                                   \
  __global const uchar  *w,         /* (rows, row_bytes) */                   \
  const ulong            row_bytes,                                           \
  const uint             cols,                                                \
  const uint             rows,                                                \
  __local float         *scratch    /* (rows per group, n, width) */

#define MATVEC_FLOAT_KERNEL(VARIANT, NROWS, NAME, BYTES)                      \
__kernel void                                                                 \
matvec_##VARIANT##_##NAME (MATVEC_ARGS)                                       \
{                                                                             \
  MATVEC_PROLOGUE (NROWS);                                                    \
  const uint units = valid ? cols / UNIT_F : 0;                               \
                                                                              \
  for (uint u = lid; u < units; u += width)                                   \
    ACCUMULATE (load8_##NAME (row_w + (ulong) u * (UNIT_F * BYTES)),          \
                u * UNIT_F);                                                  \
                                                                              \
  for (uint j = units * UNIT_F + lid; valid && j < cols; j += width)          \
    {                                                                         \
      const float v = load1_##NAME (row_w + (ulong) j * BYTES);               \
                                                                              \
      _Pragma ("unroll")                                                      \
      for (uint r = 0; r < MAXN; r++)                                         \
        if (r < N)                                                            \
          acc[r].s0 = mad (v, x[r * cols + j], acc[r].s0);                    \
    }                                                                         \
                                                                              \
  REDUCE_AND_STORE ();                                                        \
}

#define MATVEC_BLOCK_KERNEL(VARIANT, NROWS, NAME, UNIT)                       \
__kernel void                                                                 \
matvec_##VARIANT##_##NAME (MATVEC_ARGS)                                       \
{                                                                             \
  MATVEC_PROLOGUE (NROWS);                                                    \
  const uint units = valid ? cols / UNIT_Q : 0;                               \
                                                                              \
  for (uint u = lid; u < units; u += width)                                   \
    UNIT (row_w, u);                                                          \
                                                                              \
  REDUCE_AND_STORE ();                                                        \
}

#define MATVEC_KERNELS(KERNEL, NAME, ARG)                                     \
  KERNEL (row, 1, NAME, ARG)                                                  \
  KERNEL (rows, n, NAME, ARG)

MATVEC_KERNELS (MATVEC_FLOAT_KERNEL, f32,  4)
MATVEC_KERNELS (MATVEC_FLOAT_KERNEL, f16,  2)
MATVEC_KERNELS (MATVEC_FLOAT_KERNEL, bf16, 2)
MATVEC_KERNELS (MATVEC_BLOCK_KERNEL, q8_0, UNIT_Q8_0)
MATVEC_KERNELS (MATVEC_BLOCK_KERNEL, q4_0, UNIT_Q4_0)
MATVEC_KERNELS (MATVEC_BLOCK_KERNEL, q4_k, UNIT_Q4_K)
MATVEC_KERNELS (MATVEC_BLOCK_KERNEL, q6_k, UNIT_Q6_K)
