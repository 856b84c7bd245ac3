;; Per-channel sliding windows on the padded NHWC buffer: depthwise convolution and max/average
;; pooling. Channels are the SIMD lanes (the buffer's channel count Cp is a multiple of 4), so a
;; window tap is one v128 load per 4 channels; taps are byte offsets from the window origin,
;; precomputed in JS (dilation included), so the loops have no bounds checks.
;;
;; Parameter block (i32 at byte offsets, written by fast/window.ts):
;;   0 xpad  4 Wp  8 Cp  12 OW  16 OH  20 imgStride (floats per padded image)  24 SH  28 SW
;;   32 ntaps  36 taps (ptr, i32 byte offsets)  40 weights (depthwise: ntaps × Cp floats) or
;;   mode (pooling: 0 max, 1 average)  44 bias (Cp floats) or divH (pooling: f32 per output row)
;;   48 divW (pooling: f32 per output column)  52 Y (NHWC output with Cp channels)

;; Byte address of the window origin of output (row r over all images, column ow).
(func $win_origin (param $p i32) (param $r i32) (param $ow i32) (result i32)
  (local $n i32) (local $oh i32)
  (local.set $n (i32.div_u (local.get $r) (i32.load offset=16 (local.get $p))))
  (local.set $oh (i32.sub (local.get $r) (i32.mul (local.get $n) (i32.load offset=16 (local.get $p)))))
  (i32.add (i32.load (local.get $p))
    (i32.shl
      (i32.add (i32.mul (local.get $n) (i32.load offset=20 (local.get $p)))
        (i32.mul
          (i32.add
            (i32.mul (i32.mul (local.get $oh) (i32.load offset=24 (local.get $p))) (i32.load offset=4 (local.get $p)))
            (i32.mul (local.get $ow) (i32.load offset=28 (local.get $p))))
          (i32.load offset=8 (local.get $p))))
      (i32.const 2))))

;; Depthwise convolution of output rows [r0, r1): y[c] = Σ_taps x[tap][c]·w[tap][c], + bias[c].
;; 16 channels at a time (4 accumulators), then 4 at a time.
(func (export "dw_run") (param $p i32) (param $r0 i32) (param $r1 i32)
  (local $ow i32) (local $o i32) (local $y i32) (local $c i32) (local $cb i32) (local $t i32)
  (local $x i32) (local $w i32) (local $ntaps i32) (local $taps i32) (local $cp4 i32)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local.set $ntaps (i32.load offset=32 (local.get $p)))
  (local.set $taps (i32.load offset=36 (local.get $p)))
  (local.set $cp4 (i32.shl (i32.load offset=8 (local.get $p)) (i32.const 2)))
  (local.set $y (i32.add (i32.load offset=52 (local.get $p))
    (i32.mul (i32.mul (local.get $r0) (i32.load offset=12 (local.get $p))) (local.get $cp4))))
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r0) (local.get $r1)))
    (local.set $ow (i32.const 0))
    (block $wdone (loop $wl
      (br_if $wdone (i32.ge_u (local.get $ow) (i32.load offset=12 (local.get $p))))
      (local.set $o (call $win_origin (local.get $p) (local.get $r0) (local.get $ow)))
      (local.set $cb (i32.const 0))
      (block $c16done (loop $c16
        (br_if $c16done (i32.gt_u (i32.add (local.get $cb) (i32.const 64)) (local.get $cp4)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $w (i32.add (i32.load offset=40 (local.get $p)) (local.get $cb)))
        (local.set $t (i32.const 0))
        (loop $tl
          (local.set $x (i32.add (i32.add (local.get $o) (local.get $cb))
            (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2))))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $x)) (v128.load (local.get $w)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $w)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $w)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $w)))))
          (local.set $w (i32.add (local.get $w) (local.get $cp4)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $tl (i32.lt_u (local.get $t) (local.get $ntaps))))
        (local.set $w (i32.add (i32.load offset=44 (local.get $p)) (local.get $cb)))
        (v128.store (i32.add (local.get $y) (local.get $cb)) (f32x4.add (local.get $a0) (v128.load (local.get $w))))
        (v128.store offset=16 (i32.add (local.get $y) (local.get $cb)) (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $w))))
        (v128.store offset=32 (i32.add (local.get $y) (local.get $cb)) (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $w))))
        (v128.store offset=48 (i32.add (local.get $y) (local.get $cb)) (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $w))))
        (local.set $cb (i32.add (local.get $cb) (i32.const 64)))
        (br $c16)))
      (block $c4done (loop $c4
        (br_if $c4done (i32.ge_u (local.get $cb) (local.get $cp4)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $w (i32.add (i32.load offset=40 (local.get $p)) (local.get $cb)))
        (local.set $t (i32.const 0))
        (loop $tl1
          (local.set $x (i32.add (i32.add (local.get $o) (local.get $cb))
            (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2))))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $x)) (v128.load (local.get $w)))))
          (local.set $w (i32.add (local.get $w) (local.get $cp4)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $tl1 (i32.lt_u (local.get $t) (local.get $ntaps))))
        (v128.store (i32.add (local.get $y) (local.get $cb))
          (f32x4.add (local.get $a0) (v128.load (i32.add (i32.load offset=44 (local.get $p)) (local.get $cb)))))
        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
        (br $c4)))
      (local.set $y (i32.add (local.get $y) (local.get $cp4)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (br $wl)))
    (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
    (br $rl))))

;; Pooling of output rows [r0, r1). Max: the padding holds −∞; pmax (a < b ? b : a) keeps the
;; first of equal values as the reference's `val > acc` does (so −0 vs +0 matches) and is one
;; vmaxps, where f32x4.max costs 7 instructions on x64; a NaN mask (v ≠ v, or-ed over the
;; window) makes the result NaN when the window holds one, as in the reference. Average: the padding holds 0 and the sum is divided by
;; divH[oh]·divW[ow] (the real-cell or padded-cell count, separable per axis).
;; Each output pixel is one call of $pool_px (16 channels per pass, then 4).
(func (export "pool_run") (param $p i32) (param $r0 i32) (param $r1 i32)
  (local $ow i32) (local $o i32) (local $y i32) (local $ostep i32) (local $cp4 i32) (local $dh f32)
  (local $n i32)
  (local.set $cp4 (i32.shl (i32.load offset=8 (local.get $p)) (i32.const 2)))
  (local.set $ostep (i32.mul (i32.load offset=28 (local.get $p)) (local.get $cp4)))
  (local.set $y (i32.add (i32.load offset=52 (local.get $p))
    (i32.mul (i32.mul (local.get $r0) (i32.load offset=12 (local.get $p))) (local.get $cp4))))
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r0) (local.get $r1)))
    (local.set $n (i32.div_u (local.get $r0) (i32.load offset=16 (local.get $p))))
    (if (i32.load offset=40 (local.get $p))
      (then (local.set $dh (f32.load (i32.add (i32.load offset=44 (local.get $p))
        (i32.shl (i32.sub (local.get $r0) (i32.mul (local.get $n) (i32.load offset=16 (local.get $p)))) (i32.const 2)))))))
    (local.set $o (call $win_origin (local.get $p) (local.get $r0) (i32.const 0)))
    (local.set $ow (i32.const 0))
    (block $wdone (loop $wl
      (br_if $wdone (i32.ge_u (local.get $ow) (i32.load offset=12 (local.get $p))))
      (if (i32.load offset=40 (local.get $p))
        (then (call $avg_px (local.get $p) (local.get $o) (local.get $y) (local.get $cp4)
          (f32x4.splat (f32.mul (local.get $dh)
            (f32.load (i32.add (i32.load offset=48 (local.get $p)) (i32.shl (local.get $ow) (i32.const 2))))))))
        (else (call $max_px (local.get $p) (local.get $o) (local.get $y) (local.get $cp4))))
      (local.set $o (i32.add (local.get $o) (local.get $ostep)))
      (local.set $y (i32.add (local.get $y) (local.get $cp4)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (br $wl)))
    (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
    (br $rl))))

;; Max over the window at byte address o, all cp4/4 channels, stored at y.
(func $max_px (param $p i32) (param $o i32) (param $y i32) (param $cp4 i32)
  (local $cb i32) (local $t i32) (local $x i32) (local $ntaps i32) (local $taps i32)
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
  (local.set $ntaps (i32.load offset=32 (local.get $p)))
  (local.set $taps (i32.load offset=36 (local.get $p)))
  (block $c16done (loop $c16
    (br_if $c16done (i32.gt_u (i32.add (local.get $cb) (i32.const 64)) (local.get $cp4)))
    (local.set $a0 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
    (local.set $m0 (v128.const i32x4 0 0 0 0)) (local.set $m1 (local.get $m0))
    (local.set $m2 (local.get $m0)) (local.set $m3 (local.get $m0))
    (local.set $t (i32.const 0))
    (loop $tl
      (local.set $x (i32.add (i32.add (local.get $o) (local.get $cb))
        (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2))))))
      (local.set $v0 (v128.load (local.get $x)))
      (local.set $v1 (v128.load offset=16 (local.get $x)))
      (local.set $v2 (v128.load offset=32 (local.get $x)))
      (local.set $v3 (v128.load offset=48 (local.get $x)))
      (local.set $a0 (f32x4.pmax (local.get $a0) (local.get $v0)))
      (local.set $m0 (v128.or (local.get $m0) (f32x4.ne (local.get $v0) (local.get $v0))))
      (local.set $a1 (f32x4.pmax (local.get $a1) (local.get $v1)))
      (local.set $m1 (v128.or (local.get $m1) (f32x4.ne (local.get $v1) (local.get $v1))))
      (local.set $a2 (f32x4.pmax (local.get $a2) (local.get $v2)))
      (local.set $m2 (v128.or (local.get $m2) (f32x4.ne (local.get $v2) (local.get $v2))))
      (local.set $a3 (f32x4.pmax (local.get $a3) (local.get $v3)))
      (local.set $m3 (v128.or (local.get $m3) (f32x4.ne (local.get $v3) (local.get $v3))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $tl (i32.lt_u (local.get $t) (local.get $ntaps))))
    (local.set $x (i32.add (local.get $y) (local.get $cb)))
    (v128.store (local.get $x) (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $a0) (local.get $m0)))
    (v128.store offset=16 (local.get $x) (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $a1) (local.get $m1)))
    (v128.store offset=32 (local.get $x) (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $a2) (local.get $m2)))
    (v128.store offset=48 (local.get $x) (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $a3) (local.get $m3)))
    (local.set $cb (i32.add (local.get $cb) (i32.const 64)))
    (br $c16)))
  (block $c4done (loop $c4
    (br_if $c4done (i32.ge_u (local.get $cb) (local.get $cp4)))
    (local.set $a0 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $m0 (v128.const i32x4 0 0 0 0))
    (local.set $t (i32.const 0))
    (loop $tl1
      (local.set $v0 (v128.load (i32.add (i32.add (local.get $o) (local.get $cb))
        (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2)))))))
      (local.set $a0 (f32x4.pmax (local.get $a0) (local.get $v0)))
      (local.set $m0 (v128.or (local.get $m0) (f32x4.ne (local.get $v0) (local.get $v0))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $tl1 (i32.lt_u (local.get $t) (local.get $ntaps))))
    (v128.store (i32.add (local.get $y) (local.get $cb))
      (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $a0) (local.get $m0)))
    (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
    (br $c4))))

;; Sum over the window at byte address o divided by div, all cp4/4 channels, stored at y.
(func $avg_px (param $p i32) (param $o i32) (param $y i32) (param $cp4 i32) (param $div v128)
  (local $cb i32) (local $t i32) (local $x i32) (local $ntaps i32) (local $taps i32)
  (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local.set $ntaps (i32.load offset=32 (local.get $p)))
  (local.set $taps (i32.load offset=36 (local.get $p)))
  (block $c16done (loop $c16
    (br_if $c16done (i32.gt_u (i32.add (local.get $cb) (i32.const 64)) (local.get $cp4)))
    (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0))
    (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
    (local.set $t (i32.const 0))
    (loop $tl
      (local.set $x (i32.add (i32.add (local.get $o) (local.get $cb))
        (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2))))))
      (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $x))))
      (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $x))))
      (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $x))))
      (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $x))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $tl (i32.lt_u (local.get $t) (local.get $ntaps))))
    (local.set $x (i32.add (local.get $y) (local.get $cb)))
    (v128.store (local.get $x) (f32x4.div (local.get $a0) (local.get $div)))
    (v128.store offset=16 (local.get $x) (f32x4.div (local.get $a1) (local.get $div)))
    (v128.store offset=32 (local.get $x) (f32x4.div (local.get $a2) (local.get $div)))
    (v128.store offset=48 (local.get $x) (f32x4.div (local.get $a3) (local.get $div)))
    (local.set $cb (i32.add (local.get $cb) (i32.const 64)))
    (br $c16)))
  (block $c4done (loop $c4
    (br_if $c4done (i32.ge_u (local.get $cb) (local.get $cp4)))
    (local.set $a0 (v128.const i32x4 0 0 0 0))
    (local.set $t (i32.const 0))
    (loop $tl1
      (local.set $a0 (f32x4.add (local.get $a0) (v128.load (i32.add (i32.add (local.get $o) (local.get $cb))
        (i32.load (i32.add (local.get $taps) (i32.shl (local.get $t) (i32.const 2))))))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $tl1 (i32.lt_u (local.get $t) (local.get $ntaps))))
    (v128.store (i32.add (local.get $y) (local.get $cb)) (f32x4.div (local.get $a0) (local.get $div)))
    (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
    (br $c4))))
