/* wh-cl.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-adamw.h"
#include "wh-cl-attention-train.h"
#include "wh-cl-backward.h"
#include "wh-cl-buffer.h"
#include "wh-cl-context.h"
#include "wh-cl-dequant.h"
#include "wh-cl-device.h"
#include "wh-cl-error.h"
#include "wh-cl-gemm.h"
#include "wh-cl-gemm-tune.h"
#include "wh-cl-matvec.h"
#include "wh-cl-ops.h"
#include "wh-cl-swiglu.h"
#include "wh-ref.h"
#include "wh-ref-backward.h"
#include "wh-ref-dequant.h"
#include "wh-ref-ops.h"
