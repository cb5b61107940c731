// SPDX-License-Identifier: GPL-3.0-or-later
//
// Weights stored as ggml stores them in GGUF files, decoded to f32.  Block
// layouts (little-endian; wh-ref-dequant.c has the same table):
//
//   f32   4 bytes per element
//   f16   2 bytes per element, IEEE binary16
//   bf16  2 bytes per element, the top half of an f32
//   q8_0  32 elements in 34 bytes: f16 d, int8 q[32];     x = q * d
//   q4_0  32 elements in 18 bytes: f16 d, uint8 qs[16];   x = (nibble - 8) * d
//         element j < 16 is the low nibble of qs[j], element j + 16 the high
//   q4_K  256 elements in 144 bytes: f16 d, f16 dmin, uint8 scales[12],
//         uint8 qs[128].  Sub-block s (0..7) of 32 has a 6-bit scale sc and
//         min m packed in scales[]; x = (d * sc) * nibble - dmin * m, the
//         nibble being the low (s even) or high (s odd) half of
//         qs[32 (s / 2) + l].
//   q6_K  256 elements in 210 bytes: uint8 ql[128], uint8 qh[64],
//         int8 scales[16], f16 d.  x = (d * scale) * (q - 32) with a 6-bit q
//         whose low 4 bits come from ql and high 2 from qh.
//   nf4   64 elements in 36 bytes: f32 absmax, uint8 qs[32];  x = NF4[q] * absmax
//         element j is the high nibble of qs[j / 2] for even j, the low for
//         odd j (bitsandbytes' order); the last block of a row may be short.
//         Whetstone's own (QLoRA), never in a GGUF file.
//
// Two kernels per type, one work-item per output element, the NDRange
// (row_len padded, rows):
//
//   dequant_<type>_f32  out (n_rows, row_len) = rows [0, n_rows) at src_offset
//   gather_<type>_f32   out (n_ids, row_len) = rows ids[i], zero for an id
//                       outside [0, n_rows)
//
// Blocks are read byte by byte: a block (18 or 34 bytes for q4_0 and q8_0)
// and a caller's offset need not be aligned, and the byte order is GGUF's
// whatever the device's.  f32 and bf16 are moved as bits, so NaN payloads
// and subnormals arrive untouched on devices that flush denormals.  The
// arithmetic is ggml's, in its order, with contraction off, so each result
// is the one ggml's dequantize_row_*() rounds to.  The loads of the
// little-endian fields (load_u16, load_u32, load_f16) are common.cl's, the
// prelude of every program.

#pragma OPENCL FP_CONTRACT OFF

static inline uint
elem_f32 (__global const uchar *block,
          uint                  j)
{
  return load_u32 (block);
}

static inline float
elem_f16 (__global const uchar *block,
          uint                  j)
{
  return load_f16 (block);
}

static inline uint
elem_bf16 (__global const uchar *block,
           uint                  j)
{
  return load_u16 (block) << 16;
}

static inline float
elem_q8_0 (__global const uchar *block,
           uint                  j)
{
  return (float) (char) block[2 + j] * load_f16 (block);
}

static inline float
elem_q4_0 (__global const uchar *block,
           uint                  j)
{
  const int q = (block[2 + (j & 15)] >> ((j >> 4) << 2)) & 0x0f;

  return (float) (q - 8) * load_f16 (block);
}

static inline float
elem_q4_k (__global const uchar *block,
           uint                  j)
{
  __global const uchar *scales = block + 4;
  const uint s = j >> 5;     // sub-block of 32
  const uint l = j & 31;
  uint sc, m;

  // bytes 0..3: sc[0..3] in bits 0..5; 4..7: m[0..3] in bits 0..5;
  // 8..11: low 4 bits of sc[4..7] and, above them, of m[4..7]; the top two
  // bits of bytes 0..3 and 4..7 are bits 4..5 of sc[4..7] and m[4..7].
  if (s < 4)
    {
      sc = scales[s] & 0x3f;
      m = scales[s + 4] & 0x3f;
    }
  else
    {
      sc = (scales[s + 4] & 0x0f) | ((scales[s - 4] >> 6) << 4);
      m = (scales[s + 4] >> 4) | ((scales[s] >> 6) << 4);
    }

  const uint q = (block[16 + ((s >> 1) << 5) + l] >> ((s & 1) << 2)) & 0x0f;
  const float d1 = load_f16 (block) * (float) sc;
  const float m1 = load_f16 (block + 2) * (float) m;

  return d1 * (float) q - m1;
}

// Element 128 h + 32 k + l (h = 0..1, k = 0..3, l = 0..31):
//   low 4 bits   nibble k / 2 of ql[64 h + 32 (k % 2) + l]
//   high 2 bits  bits 2k, 2k + 1 of qh[32 h + l]
//   scale        scales[8 h + 2 k + l / 16]
static inline float
elem_q6_k (__global const uchar *block,
           uint                  j)
{
  const uint h = j >> 7;
  const uint k = (j >> 5) & 3;
  const uint l = j & 31;
  const uint lo = (block[64 * h + 32 * (k & 1) + l] >> ((k >> 1) << 2)) & 0x0f;
  const uint hi = (block[128 + 32 * h + l] >> (2 * k)) & 0x03;
  const int q = (int) (lo | (hi << 4)) - 32;
  const float d = load_f16 (block + 208);
  const float dl = d * (float) (char) block[192 + 8 * h + 2 * k + (l >> 4)];

  return dl * (float) q;
}

// The 16 NormalFloat levels of the QLoRA paper, as bitsandbytes has them.
__constant float nf4_levels[16] = {
  -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
  -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
  0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
  0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
};

static inline float
elem_nf4 (__global const uchar *block,
          uint                  j)
{
  const uint q = (block[4 + (j >> 1)] >> ((~j & 1) << 2)) & 0x0f;

  return nf4_levels[q] * as_float (load_u32 (block));
}

#define DEQUANT_KERNELS(NAME, T, BLOCK, BLOCK_BYTES)                          \
__kernel void                                                                 \
dequant_##NAME##_f32 (__global T            *out,        /* (n_rows, row_len) */ \
                      __global const uchar  *src,                             \
                      const ulong            src_offset, /* bytes, of row 0 */ \
                      const ulong            row_bytes,                       \
                      const uint             row_len)                         \
{                                                                             \
  const uint j = get_global_id (0);                                           \
  const ulong row = get_global_id (1);                                        \
                                                                              \
  if (j >= row_len)                                                           \
    return;                                                                   \
                                                                              \
  __global const uchar *block =                                               \
    src + src_offset + row * row_bytes + (ulong) (j / BLOCK) * BLOCK_BYTES;   \
  out[row * row_len + j] = elem_##NAME (block, j % BLOCK);                    \
}                                                                             \
                                                                              \
__kernel void                                                                 \
gather_##NAME##_f32 (__global T            *out,        /* (n_ids, row_len) */ \
                     __global const uchar  *src,        /* (n_rows, row_bytes) */ \
                     const ulong            src_offset, /* bytes, of row 0 */ \
                     const ulong            row_bytes,                        \
                     const uint             row_len,                          \
                     const uint             n_rows,                           \
                     __global const int    *ids)        /* (n_ids) */         \
{                                                                             \
  const uint j = get_global_id (0);                                           \
  const ulong i = get_global_id (1);                                          \
                                                                              \
  if (j >= row_len)                                                           \
    return;                                                                   \
                                                                              \
  const int id = ids[i];                                                      \
  if (id < 0 || (uint) id >= n_rows)                                          \
    {                                                                         \
      out[i * row_len + j] = 0;                                               \
      return;                                                                 \
    }                                                                         \
                                                                              \
  __global const uchar *block =                                               \
    src + src_offset + (ulong) id * row_bytes + (ulong) (j / BLOCK) * BLOCK_BYTES; \
  out[i * row_len + j] = elem_##NAME (block, j % BLOCK);                      \
}

DEQUANT_KERNELS (f32,  uint,  1,   4)
DEQUANT_KERNELS (f16,  float, 1,   2)
DEQUANT_KERNELS (bf16, uint,  1,   2)
DEQUANT_KERNELS (q8_0, float, 32,  34)
DEQUANT_KERNELS (q4_0, float, 32,  18)
DEQUANT_KERNELS (q4_k, float, 256, 144)
DEQUANT_KERNELS (q6_k, float, 256, 210)
DEQUANT_KERNELS (nf4,  float, 64,  36)
