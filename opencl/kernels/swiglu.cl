// SPDX-License-Identifier: GPL-3.0-or-later
//
// SwiGLU, the gated activation of Llama-family MLPs:
//
//   out = silu(gate) * up,   silu(g) = g * sigmoid(g)
//
// Backward, with s = sigmoid(g):
//
//   d silu / dg = s * (1 + g * (1 - s))
//   dgate += dout * up * s * (1 + g * (1 - s))
//   dup   += dout * silu(g)
//
// Gradients accumulate (+=); the caller zeroes them.  All buffers are
// (n) floats, one work-item per element.

__kernel void
swiglu_fwd_f32 (__global float       *out,   /* (n) */
                __global const float *gate,  /* (n) */
                __global const float *up,    /* (n) */
                const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const float g = gate[i];
  const float s = 1.0f / (1.0f + exp (-g));
  out[i] = g * s * up[i];
}

__kernel void
swiglu_bwd_f32 (__global float       *dgate, /* (n) */
                __global float       *dup,   /* (n) */
                __global const float *dout,  /* (n) */
                __global const float *gate,  /* (n) */
                __global const float *up,    /* (n) */
                const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const float g = gate[i];
  const float s = 1.0f / (1.0f + exp (-g));
  const float d = dout[i];
  dgate[i] += d * up[i] * s * (1.0f + g * (1.0f - s));
  dup[i] += d * g * s;
}
