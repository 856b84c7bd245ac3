;; Convolution as GEMM: out[M × cout] = im2col(x)[M × K] · W[K × cout] + bias, M = output
;; pixels, K = kh·kw·cin/groups. Assembled by scripts/gen-wasm.mjs into one module with the
;; other *.wat files of this folder (the module header, with the imported memory, is added there).
;;
;; Why this shape:
;; - The register tile is 4 output pixels × 8 output channels: 8 f32x4 accumulators, 2 B vectors,
;;   1 broadcast A value and 1 product temporary = 12 of the 15 xmm registers V8 hands out on x64.
;;   Taller tiles (5×8, 6×8) and k-unrolling inside the wasm loop make TurboFan hoist the loads
;;   to the loop head and spill; measured at 22–28 GFLOP/s against 38–41 for this one (V8 unrolls
;;   this loop by itself). A multiply-add is written f32x4.mul + f32x4.add; scripts/gen-wasm.mjs
;;   also emits a variant where each becomes f32x4.relaxed_madd (FMA), used where the runtime has
;;   relaxed SIMD (off by default in Node 20).
;; - A is packed per block of MC pixels into 4-pixel panels interleaved along k (k-major, the 4
;;   pixels adjacent), so the kernel walks ONE pointer and broadcasts with constant offsets
;;   (vbroadcastss [a+0/4/8/12]): no per-row pointer arithmetic in the hot loop.
;; - Padding never reaches the kernels: the input was copied into a zero-bordered buffer
;;   (xpad), so every tap of every window is a plain load.
;; - B (weights) is packed once per call into 8-column panels, K-major, zero-padded to 8.

;; Parameter block of a convolution (i32 fields at byte offsets, written by fast/conv.ts):
;;   0 xpad  4 Wp (padded width)  8 C (channels of xpad)  12 OW  16 OHW (OH·OW)  20 imgStride
;;   (floats per padded image)  24 SH  28 SW  32 ntaps  36 taps (ptr to i32 byte offsets)
;;   40 L (floats per tap segment)  44 K  48 groups  52 cpg  56 copg  60 NP (panels per group)
;;   64 B (packed weights)  68 bias (packed, 8 per panel)  72 Y (NHWC output)  76 cout  80 MC
;;   84 act (fused activation: 0 none, 1 relu, 2 relu6)

;; C[4×8] = act(A panel (K×4) · B panel (K×8) + bias); row r stored at c + r·ldc (bytes). K ≥ 1.
;; act: 0 none; 1 relu, 2 relu6, exactly as the reference (src/engine/activations.ts):
;;   relu:  v > 0 ? v : 0 = pmax(0, v) (pmax(a, b) = a < b ? b : a): NaN and −0 give +0.
;;   relu6: min(max(v, 0), 6) as Math.min/Math.max: pmax(v, 0) keeps a NaN (and −0); + 0 turns
;;          −0 into +0 (and changes nothing else); pmin(r, 6) = 6 < r ? 6 : r keeps a NaN.
(func $gemm_4x8 (param $a i32) (param $b i32) (param $k i32) (param $bias i32) (param $c i32) (param $ldc i32)
  (param $act i32)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local $va v128) (local $b0 v128) (local $b1 v128) (local $end i32) (local $zero v128) (local $six v128)
  (local.set $end (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 4))))
  (loop $kl
    (local.set $b0 (v128.load (local.get $b)))
    (local.set $b1 (v128.load offset=16 (local.get $b)))
    (local.set $va (v128.load32_splat (local.get $a)))
    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $va) (local.get $b0))))
    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $va) (local.get $b1))))
    (local.set $va (v128.load32_splat offset=4 (local.get $a)))
    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $va) (local.get $b0))))
    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $va) (local.get $b1))))
    (local.set $va (v128.load32_splat offset=8 (local.get $a)))
    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $va) (local.get $b0))))
    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $va) (local.get $b1))))
    (local.set $va (v128.load32_splat offset=12 (local.get $a)))
    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $va) (local.get $b0))))
    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $va) (local.get $b1))))
    (local.set $a (i32.add (local.get $a) (i32.const 16)))
    (local.set $b (i32.add (local.get $b) (i32.const 32)))
    (br_if $kl (i32.ne (local.get $a) (local.get $end))))
  ;; Bias last, as the reference path adds it after the sum; then the fused activation.
  (local.set $b0 (v128.load (local.get $bias)))
  (local.set $b1 (v128.load offset=16 (local.get $bias)))
  (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
  (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
  (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
  (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
  (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0)))
  (local.set $c21 (f32x4.add (local.get $c21) (local.get $b1)))
  (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0)))
  (local.set $c31 (f32x4.add (local.get $c31) (local.get $b1)))
  ;; Inline (a call would spill the accumulators: V8 saves no v128 register across calls).
  (if (local.get $act)
    (then
      (local.set $zero (v128.const i32x4 0 0 0 0))
      (if (i32.eq (local.get $act) (i32.const 1))
        (then
          (local.set $c00 (f32x4.pmax (local.get $zero) (local.get $c00)))
          (local.set $c01 (f32x4.pmax (local.get $zero) (local.get $c01)))
          (local.set $c10 (f32x4.pmax (local.get $zero) (local.get $c10)))
          (local.set $c11 (f32x4.pmax (local.get $zero) (local.get $c11)))
          (local.set $c20 (f32x4.pmax (local.get $zero) (local.get $c20)))
          (local.set $c21 (f32x4.pmax (local.get $zero) (local.get $c21)))
          (local.set $c30 (f32x4.pmax (local.get $zero) (local.get $c30)))
          (local.set $c31 (f32x4.pmax (local.get $zero) (local.get $c31))))
        (else
          (local.set $six (v128.const f32x4 6 6 6 6))
          (local.set $c00 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c00) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c01 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c01) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c10 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c10) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c11 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c11) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c20 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c20) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c21 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c21) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c30 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c30) (local.get $zero)) (local.get $zero)) (local.get $six)))
          (local.set $c31 (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $c31) (local.get $zero)) (local.get $zero)) (local.get $six)))))))
  (v128.store (local.get $c) (local.get $c00))
  (v128.store offset=16 (local.get $c) (local.get $c01))
  (local.set $c (i32.add (local.get $c) (local.get $ldc)))
  (v128.store (local.get $c) (local.get $c10))
  (v128.store offset=16 (local.get $c) (local.get $c11))
  (local.set $c (i32.add (local.get $c) (local.get $ldc)))
  (v128.store (local.get $c) (local.get $c20))
  (v128.store offset=16 (local.get $c) (local.get $c21))
  (local.set $c (i32.add (local.get $c) (local.get $ldc)))
  (v128.store (local.get $c) (local.get $c30))
  (v128.store offset=16 (local.get $c) (local.get $c31)))

;; Byte address in xpad of the window origin of output pixel m (all images), plus `extra` bytes.
(func $origin (param $p i32) (param $m i32) (param $extra i32) (result i32)
  (local $n i32) (local $rem i32) (local $oh i32) (local $ow i32)
  (local.set $n (i32.div_u (local.get $m) (i32.load offset=16 (local.get $p))))
  (local.set $rem (i32.sub (local.get $m) (i32.mul (local.get $n) (i32.load offset=16 (local.get $p)))))
  (local.set $oh (i32.div_u (local.get $rem) (i32.load offset=12 (local.get $p))))
  (local.set $ow (i32.sub (local.get $rem) (i32.mul (local.get $oh) (i32.load offset=12 (local.get $p)))))
  (i32.add
    (i32.add (i32.load (local.get $p)) (local.get $extra))
    (i32.shl
      (i32.add
        (i32.mul (local.get $n) (i32.load offset=20 (local.get $p)))
        (i32.mul
          (i32.add
            (i32.mul (i32.mul (local.get $oh) (i32.load offset=24 (local.get $p))) (i32.load offset=4 (local.get $p)))
            (i32.mul (local.get $ow) (i32.load offset=28 (local.get $p))))
          (i32.load offset=8 (local.get $p))))
      (i32.const 2))))

;; Packs pixels [m0, m0 + rows) of group g into 4-pixel panels at dst (K×4 floats each). A last
;; panel with fewer than 4 pixels repeats its last pixel: those rows are computed and discarded.
;; Window origins advance by the column stride along an output row; $origin (two divisions) is
;; called only at the block's first pixel and where a row wraps.
(func $pack_a (param $p i32) (param $m0 i32) (param $rows i32) (param $g i32) (param $dst i32)
  (local $q i32) (local $last i32) (local $goff i32) (local $t i32) (local $off i32) (local $rem i32)
  (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
  (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $end i32)
  (local $m i32) (local $ow i32) (local $nw i32) (local $cur i32) (local $ostep i32)
  (local.set $last (i32.add (local.get $m0) (i32.sub (local.get $rows) (i32.const 1))))
  (local.set $goff (i32.shl (i32.mul (local.get $g) (i32.load offset=52 (local.get $p))) (i32.const 2)))
  (local.set $nw (i32.load offset=12 (local.get $p)))
  (local.set $ostep (i32.shl (i32.mul (i32.load offset=28 (local.get $p)) (i32.load offset=8 (local.get $p))) (i32.const 2)))
  (local.set $m (local.get $m0))
  (local.set $rem (i32.rem_u (local.get $m0) (i32.load offset=16 (local.get $p))))
  (local.set $ow (i32.rem_u (local.get $rem) (local.get $nw)))
  (local.set $cur (call $origin (local.get $p) (local.get $m0) (local.get $goff)))
  (block $qdone
    (loop $ql
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $rows)))
      (local.set $o0 (local.get $cur))
      (if (i32.lt_u (local.get $m) (local.get $last))
        (then
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (if (i32.eq (local.get $ow) (local.get $nw))
            (then
              (local.set $ow (i32.const 0))
              (local.set $cur (call $origin (local.get $p) (local.get $m) (local.get $goff))))
            (else (local.set $cur (i32.add (local.get $cur) (local.get $ostep)))))))
      (local.set $o1 (local.get $cur))
      (if (i32.lt_u (local.get $m) (local.get $last))
        (then
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (if (i32.eq (local.get $ow) (local.get $nw))
            (then
              (local.set $ow (i32.const 0))
              (local.set $cur (call $origin (local.get $p) (local.get $m) (local.get $goff))))
            (else (local.set $cur (i32.add (local.get $cur) (local.get $ostep)))))))
      (local.set $o2 (local.get $cur))
      (if (i32.lt_u (local.get $m) (local.get $last))
        (then
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (if (i32.eq (local.get $ow) (local.get $nw))
            (then
              (local.set $ow (i32.const 0))
              (local.set $cur (call $origin (local.get $p) (local.get $m) (local.get $goff))))
            (else (local.set $cur (i32.add (local.get $cur) (local.get $ostep)))))))
      (local.set $o3 (local.get $cur))
      (if (i32.lt_u (local.get $m) (local.get $last))
        (then
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (if (i32.eq (local.get $ow) (local.get $nw))
            (then
              (local.set $ow (i32.const 0))
              (local.set $cur (call $origin (local.get $p) (local.get $m) (local.get $goff))))
            (else (local.set $cur (i32.add (local.get $cur) (local.get $ostep)))))))
      (local.set $t (i32.const 0))
      (loop $tl
        (local.set $off (i32.load (i32.add (i32.load offset=36 (local.get $p)) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $s0 (i32.add (local.get $o0) (local.get $off)))
        (local.set $s1 (i32.add (local.get $o1) (local.get $off)))
        (local.set $s2 (i32.add (local.get $o2) (local.get $off)))
        (local.set $s3 (i32.add (local.get $o3) (local.get $off)))
        (local.set $end (i32.add (local.get $s0) (i32.shl (i32.load offset=40 (local.get $p)) (i32.const 2))))
        ;; Four pixels' segments side by side: 4×4 transposes while 4 floats remain, then singles.
        (block $vdone
          (loop $vl
            (br_if $vdone (i32.gt_s (i32.add (local.get $s0) (i32.const 16)) (local.get $end)))
            (call $transpose4 (local.get $dst)
              (v128.load (local.get $s0)) (v128.load (local.get $s1))
              (v128.load (local.get $s2)) (v128.load (local.get $s3)))
            (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
            (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
            (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
            (local.set $s3 (i32.add (local.get $s3) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
            (br $vl)))
        (block $sdone
          (loop $sl
            (br_if $sdone (i32.ge_u (local.get $s0) (local.get $end)))
            (i32.store (local.get $dst) (i32.load (local.get $s0)))
            (i32.store offset=4 (local.get $dst) (i32.load (local.get $s1)))
            (i32.store offset=8 (local.get $dst) (i32.load (local.get $s2)))
            (i32.store offset=12 (local.get $dst) (i32.load (local.get $s3)))
            (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
            (local.set $s1 (i32.add (local.get $s1) (i32.const 4)))
            (local.set $s2 (i32.add (local.get $s2) (i32.const 4)))
            (local.set $s3 (i32.add (local.get $s3) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (br $sl)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $tl (i32.lt_u (local.get $t) (i32.load offset=32 (local.get $p)))))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (br $ql))))

;; Stores the transpose of the 4×4 block with rows r0..r3 at dst (64 bytes): column j of the
;; block (one k, four pixels) becomes 16 contiguous bytes.
(func $transpose4 (param $dst i32) (param $r0 v128) (param $r1 v128) (param $r2 v128) (param $r3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
  (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
  (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
  (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
  (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
  (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
  (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
  (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3))))

;; Computes output pixels [m0, m1) of every group. `scratch` is this thread's own area:
;; MC·K floats of packed A, then a 4×8 tile for partial panels (pixel or channel remainders).
(func (export "conv_run") (param $p i32) (param $m0 i32) (param $m1 i32) (param $scratch i32)
  (local $g i32) (local $mb i32) (local $rows i32) (local $j i32) (local $q i32) (local $k i32)
  (local $bj i32) (local $biasj i32) (local $col0 i32) (local $ncols i32) (local $r i32)
  (local $ldc i32) (local $tile i32) (local $dst i32) (local $i i32) (local $c i32) (local $act i32)
  (local.set $k (i32.load offset=44 (local.get $p)))
  (local.set $ldc (i32.shl (i32.load offset=76 (local.get $p)) (i32.const 2)))
  (local.set $act (i32.load offset=84 (local.get $p)))
  (local.set $tile (i32.add (local.get $scratch)
    (i32.shl (i32.mul (i32.load offset=80 (local.get $p)) (local.get $k)) (i32.const 2))))
  (block $gdone (loop $gl
    (br_if $gdone (i32.ge_u (local.get $g) (i32.load offset=48 (local.get $p))))
    (local.set $mb (local.get $m0))
    (block $mdone (loop $ml
      (br_if $mdone (i32.ge_u (local.get $mb) (local.get $m1)))
      (local.set $rows (i32.sub (local.get $m1) (local.get $mb)))
      (if (i32.gt_u (local.get $rows) (i32.load offset=80 (local.get $p)))
        (then (local.set $rows (i32.load offset=80 (local.get $p)))))
      (call $pack_a (local.get $p) (local.get $mb) (local.get $rows) (local.get $g) (local.get $scratch))
      ;; Panel-outer: one B panel (K×8) stays in L1 while the packed A block streams from L2.
      (local.set $j (i32.const 0))
      (block $jdone (loop $jl
        (br_if $jdone (i32.ge_u (local.get $j) (i32.load offset=60 (local.get $p))))
        (local.set $i (i32.add (i32.mul (local.get $g) (i32.load offset=60 (local.get $p))) (local.get $j)))
        (local.set $bj (i32.add (i32.load offset=64 (local.get $p)) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 5))))
        (local.set $biasj (i32.add (i32.load offset=68 (local.get $p)) (i32.shl (local.get $i) (i32.const 5))))
        (local.set $col0 (i32.add (i32.mul (local.get $g) (i32.load offset=56 (local.get $p))) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $ncols (i32.sub (i32.load offset=56 (local.get $p)) (i32.shl (local.get $j) (i32.const 3))))
        (if (i32.gt_u (local.get $ncols) (i32.const 8)) (then (local.set $ncols (i32.const 8))))
        (local.set $q (i32.const 0))
        (block $qdone (loop $ql
          (br_if $qdone (i32.ge_u (local.get $q) (local.get $rows)))
          (local.set $r (i32.sub (local.get $rows) (local.get $q)))
          (local.set $dst (i32.add (i32.load offset=72 (local.get $p))
            (i32.add (i32.mul (i32.add (local.get $mb) (local.get $q)) (local.get $ldc)) (i32.shl (local.get $col0) (i32.const 2)))))
          (if (i32.and (i32.ge_u (local.get $r) (i32.const 4)) (i32.eq (local.get $ncols) (i32.const 8)))
            (then
              (call $gemm_4x8 (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $q) (local.get $k)) (i32.const 2)))
                (local.get $bj) (local.get $k) (local.get $biasj) (local.get $dst) (local.get $ldc) (local.get $act)))
            (else
              (call $gemm_4x8 (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $q) (local.get $k)) (i32.const 2)))
                (local.get $bj) (local.get $k) (local.get $biasj) (local.get $tile) (i32.const 32) (local.get $act))
              (if (i32.gt_u (local.get $r) (i32.const 4)) (then (local.set $r (i32.const 4))))
              (call $copy_tile (local.get $tile) (local.get $dst) (local.get $r) (local.get $ncols) (local.get $ldc))))
          (local.set $q (i32.add (local.get $q) (i32.const 4)))
          (br $ql)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $mb (i32.add (local.get $mb) (local.get $rows)))
      (br $ml)))
    (local.set $g (i32.add (local.get $g) (i32.const 1)))
    (br $gl))))

;; Copies the top-left rows × cols floats of a 4×8 tile (rows 32 bytes apart) to dst (ldc apart).
(func $copy_tile (param $tile i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $ldc i32)
  (local $r i32) (local $c i32)
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cl
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
      (i32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
        (i32.load (i32.add (local.get $tile) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cl)))
    (local.set $tile (i32.add (local.get $tile) (i32.const 32)))
    (local.set $dst (i32.add (local.get $dst) (local.get $ldc)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rl))))
