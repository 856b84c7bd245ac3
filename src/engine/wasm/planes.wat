;; Channels-first kernels (PyTorch's NCHW layout), which read and write each channel's plane in
;; place instead of transposing to and from channels-last.
;;
;; plane_run: depthwise convolution and max/average pooling on padded planes. Each plane (one
;; image's channel) is an independent 2-D window problem; the SIMD lanes are 4 neighbouring output
;; columns of one row. A tap of those 4 outputs is one v128 load at column stride 1, two loads
;; and a shuffle of the even lanes at stride 2, four scalar loads otherwise. The planes were
;; copied into a buffer bordered with the padding value (0 or −∞), so no tap is bounds-checked;
;; the last 4 columns of a row may read past its end (the buffer has slack), and only the real
;; outputs are stored.
;;
;; Parameter block (i32 at byte offsets, written by wasm/planes.ts):
;;   0 xpad (padded planes, Hp × Wp floats each)  4 Wp  8 OW  12 OH  16 planeStride (floats,
;;   ≥ Hp·Wp)  20 SH  24 SW  28 ntaps  32 taps (ptr, i32 byte offsets from the window origin)
;;   36 mode (0 max, 1 average, 2 depthwise)
;;   40 depthwise: weights (ntaps floats per channel) | average: divH (f32 per output row)
;;   44 depthwise: bias (f32 per channel) | average: divW (f32 per output column, 4 past OW)
;;   48 act (depthwise: 0 none, 1 relu, 2 relu6)  52 Y (planes × OH × OW floats)
;;   56 plane0 (index of the buffer's first plane in N·C)  60 C (channels: plane q is channel (plane0 + q) mod C)
;;
;; Same order of operations as window.wat's channels-last kernels: depthwise sums the taps in
;; order from 0, then adds the bias, then the activation; average pooling sums the taps and
;; divides by divH·divW; max pooling keeps the reference's NaN and ±0 behaviour (see $max_rows),
;; and stores a window's NaN as the canonical NaN, bit for bit the reference's.
(func (export "plane_run") (param $p i32) (param $r0 i32) (param $r1 i32)
  (local $q i32) (local $oh i32) (local $o i32) (local $ox i32) (local $yrow i32) (local $ow i32)
  (local $nw i32) (local $sw i32) (local $s4 i32) (local $s8 i32) (local $s12 i32) (local $qstep i32)
  (local $taps i32) (local $tend i32) (local $tp i32) (local $a i32) (local $mode i32) (local $wt i32)
  (local $wi i32) (local $co i32) (local $act i32) (local $y i32)
  (local $acc v128) (local $m v128) (local $v v128) (local $dh v128) (local $bias v128)
  (local $zero v128) (local $six v128)
  (local.set $nw (i32.load offset=8 (local.get $p)))
  (local.set $sw (i32.load offset=24 (local.get $p)))
  (local.set $s4 (i32.shl (local.get $sw) (i32.const 2)))
  (local.set $s8 (i32.shl (local.get $sw) (i32.const 3)))
  (local.set $s12 (i32.mul (local.get $sw) (i32.const 12)))
  (local.set $qstep (i32.shl (local.get $sw) (i32.const 4)))
  (local.set $taps (i32.load offset=32 (local.get $p)))
  (local.set $tend (i32.add (local.get $taps) (i32.shl (i32.load offset=28 (local.get $p)) (i32.const 2))))
  (local.set $mode (i32.load offset=36 (local.get $p)))
  (local.set $act (i32.load offset=48 (local.get $p)))
  (local.set $six (v128.const f32x4 6 6 6 6))
  (block $rdone (loop $rl
    (br_if $rdone (i32.ge_u (local.get $r0) (local.get $r1)))
    (local.set $q (i32.div_u (local.get $r0) (i32.load offset=12 (local.get $p))))
    (local.set $oh (i32.sub (local.get $r0) (i32.mul (local.get $q) (i32.load offset=12 (local.get $p)))))
    (local.set $o (i32.add (i32.load (local.get $p)) (i32.shl (i32.add
      (i32.mul (local.get $q) (i32.load offset=16 (local.get $p)))
      (i32.mul (i32.mul (local.get $oh) (i32.load offset=20 (local.get $p))) (i32.load offset=4 (local.get $p))))
      (i32.const 2))))
    (local.set $yrow (i32.add (i32.load offset=52 (local.get $p)) (i32.shl (i32.mul (local.get $r0) (local.get $nw)) (i32.const 2))))
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then (local.set $dh (f32x4.splat (f32.load (i32.add (i32.load offset=40 (local.get $p)) (i32.shl (local.get $oh) (i32.const 2))))))))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (local.set $co (i32.rem_u (i32.add (i32.load offset=56 (local.get $p)) (local.get $q)) (i32.load offset=60 (local.get $p))))
        (local.set $wt (i32.add (i32.load offset=40 (local.get $p))
          (i32.shl (i32.mul (local.get $co) (i32.load offset=28 (local.get $p))) (i32.const 2))))
        (local.set $bias (f32x4.splat (f32.load (i32.add (i32.load offset=44 (local.get $p)) (i32.shl (local.get $co) (i32.const 2))))))))
    (local.set $ox (local.get $o))
    (local.set $ow (i32.const 0))
    (block $wdone (loop $wl
      (br_if $wdone (i32.ge_u (local.get $ow) (local.get $nw)))
      (if (i32.eqz (local.get $mode))
        (then
          ;; Max: the first tap (offset 0) starts the running max, NaNs of later taps go to a mask.
          (local.set $a (local.get $ox))
          (local.set $acc
            (if (result v128) (i32.eq (local.get $sw) (i32.const 1))
              (then (v128.load (local.get $a)))
              (else (if (result v128) (i32.eq (local.get $sw) (i32.const 2))
                (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (v128.load (local.get $a)) (v128.load offset=16 (local.get $a))))
                (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                  (f32x4.splat (f32.load (local.get $a)))
                  (f32.load (i32.add (local.get $a) (local.get $s4))))
                  (f32.load (i32.add (local.get $a) (local.get $s8))))
                  (f32.load (i32.add (local.get $a) (local.get $s12)))))))))
          (local.set $m (v128.const i32x4 0 0 0 0))
          (local.set $tp (i32.add (local.get $taps) (i32.const 4)))
          (block $tdone (loop $tl
            (br_if $tdone (i32.ge_u (local.get $tp) (local.get $tend)))
            (local.set $a (i32.add (local.get $ox) (i32.load (local.get $tp))))
            (local.set $v
              (if (result v128) (i32.eq (local.get $sw) (i32.const 1))
                (then (v128.load (local.get $a)))
                (else (if (result v128) (i32.eq (local.get $sw) (i32.const 2))
                  (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (v128.load (local.get $a)) (v128.load offset=16 (local.get $a))))
                  (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                    (f32x4.splat (f32.load (local.get $a)))
                    (f32.load (i32.add (local.get $a) (local.get $s4))))
                    (f32.load (i32.add (local.get $a) (local.get $s8))))
                    (f32.load (i32.add (local.get $a) (local.get $s12)))))))))
            (local.set $acc (f32x4.pmax (local.get $acc) (local.get $v)))
            (local.set $m (v128.or (local.get $m) (f32x4.ne (local.get $v) (local.get $v))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 4)))
            (br $tl)))
          ;; A window holding a NaN gives the canonical NaN (0x7fc00000), as the reference stores.
          (local.set $acc (v128.bitselect (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000) (local.get $acc) (local.get $m))))
        (else
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $tp (local.get $taps))
          (local.set $wi (local.get $wt))
          (loop $sl
            (local.set $a (i32.add (local.get $ox) (i32.load (local.get $tp))))
            (local.set $v
              (if (result v128) (i32.eq (local.get $sw) (i32.const 1))
                (then (v128.load (local.get $a)))
                (else (if (result v128) (i32.eq (local.get $sw) (i32.const 2))
                  (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (v128.load (local.get $a)) (v128.load offset=16 (local.get $a))))
                  (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                    (f32x4.splat (f32.load (local.get $a)))
                    (f32.load (i32.add (local.get $a) (local.get $s4))))
                    (f32.load (i32.add (local.get $a) (local.get $s8))))
                    (f32.load (i32.add (local.get $a) (local.get $s12)))))))))
            (if (i32.eq (local.get $mode) (i32.const 1))
              (then (local.set $acc (f32x4.add (local.get $acc) (local.get $v))))
              (else
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (v128.load32_splat (local.get $wi)))))
                (local.set $wi (i32.add (local.get $wi) (i32.const 4)))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 4)))
            (br_if $sl (i32.lt_u (local.get $tp) (local.get $tend))))
          (if (i32.eq (local.get $mode) (i32.const 1))
            (then
              (local.set $acc (f32x4.div (local.get $acc)
                (f32x4.mul (local.get $dh) (v128.load (i32.add (i32.load offset=44 (local.get $p)) (i32.shl (local.get $ow) (i32.const 2))))))))
            (else
              (local.set $acc (f32x4.add (local.get $acc) (local.get $bias)))
              ;; The fused activation, as in $gemm_4x8 (gemm.wat), which says why these
              ;; instructions give the reference's NaN and −0 results.
              (if (i32.eq (local.get $act) (i32.const 1))
                (then (local.set $acc (f32x4.pmax (local.get $zero) (local.get $acc)))))
              (if (i32.eq (local.get $act) (i32.const 2))
                (then (local.set $acc (f32x4.pmin (f32x4.add (f32x4.pmax (local.get $acc) (local.get $zero)) (local.get $zero)) (local.get $six)))))))))
      (local.set $y (i32.add (local.get $yrow) (i32.shl (local.get $ow) (i32.const 2))))
      (if (i32.le_u (i32.add (local.get $ow) (i32.const 4)) (local.get $nw))
        (then (v128.store (local.get $y) (local.get $acc)))
        (else
          (f32.store (local.get $y) (f32x4.extract_lane 0 (local.get $acc)))
          (if (i32.lt_u (i32.add (local.get $ow) (i32.const 1)) (local.get $nw))
            (then (f32.store offset=4 (local.get $y) (f32x4.extract_lane 1 (local.get $acc)))))
          (if (i32.lt_u (i32.add (local.get $ow) (i32.const 2)) (local.get $nw))
            (then (f32.store offset=8 (local.get $y) (f32x4.extract_lane 2 (local.get $acc)))))))
      (local.set $ox (i32.add (local.get $ox) (local.get $qstep)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
      (br $wl)))
    (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
    (br $rl))))

;; 1×1 convolution in NCHW as one GEMM per image: out[cout × HW] = W[cout × cin] · X[cin × HW]
;; + bias, with no im2col and no transpose (a plane of X is a row of the K × HW matrix).
;; The register tile is 4 output channels × 8 pixels, as $gemm_4x8's 4 × 8 (same registers):
;; A is the weights packed in 4-channel panels (k-major, 4 channels side by side: one broadcast
;; per channel), B is a block of X's columns packed per call into 8-pixel panels (K × 8, so the
;; kernel streams one pointer); the result rows are stored straight into the output planes.
;;
;; Parameter block (i32 at byte offsets, written by wasm/planes.ts):
;;   0 X (N × cin × HW floats)  4 HW  8 K (cin)  12 cout  16 A (packed weights: ceil(cout/4)
;;   panels of K × 4 floats, zero past cout)  20 bias (f32 per channel, 4 past cout)  24 Y
;;   (N × cout × HW)  28 act (0 none, 1 relu, 2 relu6)  32 NPX (8-pixel panels per image)
;;   36 NB (panels per packed block)
;;
;; pw_run computes pixel panels [j0, j1) of all images (panel j = image j / NPX, pixels
;; 8·(j mod NPX) …); `scratch` is this thread's NB·K·8 floats of packed B, then a 4 × 8 tile.
(func (export "pw_run") (param $p i32) (param $j0 i32) (param $j1 i32) (param $scratch i32)
  (local $n i32) (local $jj i32) (local $cnt i32) (local $i i32) (local $k i32) (local $kk i32)
  (local $hw i32) (local $hw4 i32) (local $npx i32) (local $col0 i32) (local $cols i32)
  (local $s i32) (local $d i32) (local $c i32) (local $rp i32) (local $rows i32) (local $a i32)
  (local $b i32) (local $dst i32) (local $tile i32) (local $cout i32) (local $act i32) (local $ximg i32)
  (local.set $hw (i32.load offset=4 (local.get $p)))
  (local.set $hw4 (i32.shl (local.get $hw) (i32.const 2)))
  (local.set $k (i32.load offset=8 (local.get $p)))
  (local.set $cout (i32.load offset=12 (local.get $p)))
  (local.set $act (i32.load offset=28 (local.get $p)))
  (local.set $npx (i32.load offset=32 (local.get $p)))
  (local.set $tile (i32.add (local.get $scratch)
    (i32.shl (i32.mul (i32.mul (i32.load offset=36 (local.get $p)) (local.get $k)) (i32.const 8)) (i32.const 2))))
  (block $done (loop $bl
    (br_if $done (i32.ge_u (local.get $j0) (local.get $j1)))
    (local.set $n (i32.div_u (local.get $j0) (local.get $npx)))
    (local.set $jj (i32.sub (local.get $j0) (i32.mul (local.get $n) (local.get $npx))))
    (local.set $cnt (i32.sub (local.get $j1) (local.get $j0)))
    (if (i32.gt_u (local.get $cnt) (i32.load offset=36 (local.get $p))) (then (local.set $cnt (i32.load offset=36 (local.get $p)))))
    (if (i32.gt_u (local.get $cnt) (i32.sub (local.get $npx) (local.get $jj))) (then (local.set $cnt (i32.sub (local.get $npx) (local.get $jj)))))
    (local.set $ximg (i32.add (i32.load (local.get $p)) (i32.mul (i32.mul (local.get $n) (local.get $k)) (local.get $hw4))))
    ;; Pack the block's pixel panels: panel i holds, for each k, the 8 pixels of X's row k (zeros past HW).
    (local.set $d (local.get $scratch))
    (local.set $i (i32.const 0))
    (block $pdone (loop $pl
      (br_if $pdone (i32.ge_u (local.get $i) (local.get $cnt)))
      (local.set $col0 (i32.shl (i32.add (local.get $jj) (local.get $i)) (i32.const 3)))
      (local.set $cols (i32.sub (local.get $hw) (local.get $col0)))
      (local.set $s (i32.add (local.get $ximg) (i32.shl (local.get $col0) (i32.const 2))))
      (local.set $kk (i32.const 0))
      (if (i32.ge_u (local.get $cols) (i32.const 8))
        (then
          (block $kd (loop $kl
            (br_if $kd (i32.ge_u (local.get $kk) (local.get $k)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $hw4)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br $kl))))
        (else
          (block $kd2 (loop $kl2
            (br_if $kd2 (i32.ge_u (local.get $kk) (local.get $k)))
            (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 (local.get $d) (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $cd (loop $cl
              (br_if $cd (i32.ge_u (local.get $c) (local.get $cols)))
              (f32.store (i32.add (local.get $d) (i32.shl (local.get $c) (i32.const 2)))
                (f32.load (i32.add (local.get $s) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $cl)))
            (local.set $s (i32.add (local.get $s) (local.get $hw4)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br $kl2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $pl)))
    ;; Channel panels outer (one A panel stays in L1), the block's pixel panels inner (in L2).
    (local.set $rp (i32.const 0))
    (block $rdone (loop $rl
      (br_if $rdone (i32.ge_u (local.get $rp) (local.get $cout)))
      (local.set $rows (i32.sub (local.get $cout) (local.get $rp)))
      (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
      (local.set $a (i32.add (i32.load offset=16 (local.get $p)) (i32.shl (i32.mul (local.get $rp) (local.get $k)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $idone (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $cnt)))
        (local.set $col0 (i32.shl (i32.add (local.get $jj) (local.get $i)) (i32.const 3)))
        (local.set $cols (i32.sub (local.get $hw) (local.get $col0)))
        (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
        (local.set $b (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 5))))
        (local.set $dst (i32.add (i32.load offset=24 (local.get $p))
          (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $cout)) (local.get $rp)) (local.get $hw4))
            (i32.shl (local.get $col0) (i32.const 2)))))
        (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
          (then
            (call $gemm_4x8_rows (local.get $a) (local.get $b) (local.get $k)
              (i32.add (i32.load offset=20 (local.get $p)) (i32.shl (local.get $rp) (i32.const 2)))
              (local.get $dst) (local.get $hw4) (local.get $act)))
          (else
            (call $gemm_4x8_rows (local.get $a) (local.get $b) (local.get $k)
              (i32.add (i32.load offset=20 (local.get $p)) (i32.shl (local.get $rp) (i32.const 2)))
              (local.get $tile) (i32.const 32) (local.get $act))
            (call $copy_tile (local.get $tile) (local.get $dst) (local.get $rows) (local.get $cols) (local.get $hw4))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
      (br $rl)))
    (local.set $j0 (i32.add (local.get $j0) (local.get $cnt)))
    (br $bl))))

;; C[4×8] = act(A panel (K×4) · B panel (K×8) + bias[row]); row r stored at c + r·ldc (bytes).
;; $gemm_4x8 (gemm.wat) with the bias per row (an output channel) instead of per column.
(func $gemm_4x8_rows (param $a i32) (param $b i32) (param $k i32) (param $bias i32) (param $c i32) (param $ldc i32)
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
  (local.set $va (v128.load32_splat (local.get $bias)))
  (local.set $c00 (f32x4.add (local.get $c00) (local.get $va)))
  (local.set $c01 (f32x4.add (local.get $c01) (local.get $va)))
  (local.set $va (v128.load32_splat offset=4 (local.get $bias)))
  (local.set $c10 (f32x4.add (local.get $c10) (local.get $va)))
  (local.set $c11 (f32x4.add (local.get $c11) (local.get $va)))
  (local.set $va (v128.load32_splat offset=8 (local.get $bias)))
  (local.set $c20 (f32x4.add (local.get $c20) (local.get $va)))
  (local.set $c21 (f32x4.add (local.get $c21) (local.get $va)))
  (local.set $va (v128.load32_splat offset=12 (local.get $bias)))
  (local.set $c30 (f32x4.add (local.get $c30) (local.get $va)))
  (local.set $c31 (f32x4.add (local.get $c31) (local.get $va)))
  (if (local.get $act)
    (then
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
