;; Data movement around the kernels: padded NHWC staging of inputs (any layout), the border of
;; the padded buffer, output layout conversion, and weight packing for gemm.wat. These run once
;; per op over each tensor, so they are written for clarity first; the hot ones (NHWC rows,
;; pixel-contiguous channels) take a v128 path.

;; Fills n floats at ptr with v.
(func $fill (param $ptr i32) (param $n i32) (param $v f32)
  (local $end i32) (local $vv v128)
  (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 2))))
  (local.set $vv (f32x4.splat (local.get $v)))
  (block $d4 (loop $l4
    (br_if $d4 (i32.gt_u (i32.add (local.get $ptr) (i32.const 16)) (local.get $end)))
    (v128.store (local.get $ptr) (local.get $vv))
    (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
    (br $l4)))
  (block $d1 (loop $l1
    (br_if $d1 (i32.ge_u (local.get $ptr) (local.get $end)))
    (f32.store (local.get $ptr) (local.get $v))
    (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
    (br $l1))))

;; Fills the border of N padded images (Hp × Wp × C floats each, interior starting at row `top`
;; and column `left`) with v: the rows above and below, and the columns left and right.
(func (export "fill_border") (param $ptr i32) (param $n i32) (param $hp i32) (param $wp i32) (param $c i32)
  (param $top i32) (param $bottom i32) (param $left i32) (param $right i32) (param $v f32)
  (local $row i32) (local $rowf i32) (local $h i32)
  (local.set $rowf (i32.mul (local.get $wp) (local.get $c)))
  (block $ndone (loop $nl
    (br_if $ndone (i32.eqz (local.get $n)))
    (call $fill (local.get $ptr) (i32.mul (local.get $top) (local.get $rowf)) (local.get $v))
    (call $fill (i32.add (local.get $ptr) (i32.shl (i32.mul (i32.sub (local.get $hp) (local.get $bottom)) (local.get $rowf)) (i32.const 2)))
      (i32.mul (local.get $bottom) (local.get $rowf)) (local.get $v))
    (local.set $h (local.get $top))
    (block $hdone (loop $hl
      (br_if $hdone (i32.ge_u (local.get $h) (i32.sub (local.get $hp) (local.get $bottom))))
      (local.set $row (i32.add (local.get $ptr) (i32.shl (i32.mul (local.get $h) (local.get $rowf)) (i32.const 2))))
      (call $fill (local.get $row) (i32.mul (local.get $left) (local.get $c)) (local.get $v))
      (call $fill (i32.add (local.get $row) (i32.shl (i32.mul (i32.sub (local.get $wp) (local.get $right)) (local.get $c)) (i32.const 2)))
        (i32.mul (local.get $right) (local.get $c)) (local.get $v))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $hl)))
    (local.set $ptr (i32.add (local.get $ptr) (i32.shl (i32.mul (local.get $hp) (local.get $rowf)) (i32.const 2))))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $nl))))

;; Copies a tensor read through element strides into the interior of the padded NHWC buffer,
;; channels padded with zeros up to Cp. Parameter block (i32):
;;   0 src  4 sN  8 sH  12 sW  16 sC (floats)  20 N  24 H  28 W  32 C (destination channels)
;;   36 dst  40 Hp  44 Wp  48 Cp  52 top  56 left  60 mult (source channel = c / mult)
(func (export "stage") (param $p i32)
  (local $n i32) (local $h i32) (local $w i32) (local $c i32) (local $s i32) (local $d i32)
  (local $cc i32) (local $cp i32) (local $sc i32) (local $mult i32)
  (local.set $mult (i32.load offset=60 (local.get $p)))
  (local.set $cc (i32.load offset=32 (local.get $p)))
  (local.set $cp (i32.load offset=48 (local.get $p)))
  (local.set $sc (i32.shl (i32.load offset=16 (local.get $p)) (i32.const 2)))
  (block $ndone (loop $nl
    (br_if $ndone (i32.ge_u (local.get $n) (i32.load offset=20 (local.get $p))))
    (local.set $h (i32.const 0))
    (block $hdone (loop $hl
      (br_if $hdone (i32.ge_u (local.get $h) (i32.load offset=24 (local.get $p))))
      (local.set $w (i32.const 0))
      (block $wdone (loop $wl
        (br_if $wdone (i32.ge_u (local.get $w) (i32.load offset=28 (local.get $p))))
        (local.set $s (i32.add (i32.load (local.get $p)) (i32.shl (i32.add (i32.add
          (i32.mul (local.get $n) (i32.load offset=4 (local.get $p)))
          (i32.mul (local.get $h) (i32.load offset=8 (local.get $p))))
          (i32.mul (local.get $w) (i32.load offset=12 (local.get $p)))) (i32.const 2))))
        (local.set $d (i32.add (i32.load offset=36 (local.get $p)) (i32.shl (i32.mul (i32.add
          (i32.mul (i32.add (i32.mul (local.get $n) (i32.load offset=40 (local.get $p)))
            (i32.add (local.get $h) (i32.load offset=52 (local.get $p)))) (i32.load offset=44 (local.get $p)))
          (i32.add (local.get $w) (i32.load offset=56 (local.get $p)))) (local.get $cp)) (i32.const 2))))
        (local.set $c (i32.const 0))
        (if (i32.and (i32.eq (local.get $sc) (i32.const 4)) (i32.eq (local.get $mult) (i32.const 1)))
          (then
            (block $vd (loop $vl
              (br_if $vd (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cc)))
              (v128.store (local.get $d) (v128.load (i32.add (local.get $s) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (local.set $c (i32.add (local.get $c) (i32.const 4)))
              (br $vl)))))
        ;; Destination channel c reads source channel c / mult (depthwise channel multiplier).
        (block $cd (loop $cl
          (br_if $cd (i32.ge_u (local.get $c) (local.get $cc)))
          (i32.store (local.get $d) (i32.load (i32.add (local.get $s)
            (i32.mul (i32.div_u (local.get $c) (local.get $mult)) (local.get $sc)))))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cl)))
        (call $fill (local.get $d) (i32.sub (local.get $cp) (local.get $cc)) (f32.const 0))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $wl)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $hl)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $nl))))

;; Copies an NHWC result with Cp channels per pixel (first C used) to dst through strides.
;; Parameter block (i32): 0 src  4 Cp  8 N  12 HW  16 C  20 dst  24 dN  28 dP  32 dC (floats)
(func (export "unstage") (param $p i32)
  (local $n i32) (local $px i32) (local $c i32) (local $s i32) (local $d i32) (local $dc i32)
  (local.set $s (i32.load (local.get $p)))
  (local.set $dc (i32.shl (i32.load offset=32 (local.get $p)) (i32.const 2)))
  (block $ndone (loop $nl
    (br_if $ndone (i32.ge_u (local.get $n) (i32.load offset=8 (local.get $p))))
    (local.set $px (i32.const 0))
    (block $pdone (loop $pl
      (br_if $pdone (i32.ge_u (local.get $px) (i32.load offset=12 (local.get $p))))
      (local.set $d (i32.add (i32.load offset=20 (local.get $p)) (i32.shl (i32.add
        (i32.mul (local.get $n) (i32.load offset=24 (local.get $p)))
        (i32.mul (local.get $px) (i32.load offset=28 (local.get $p)))) (i32.const 2))))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_u (local.get $c) (i32.load offset=16 (local.get $p))))
        (i32.store (local.get $d) (i32.load (i32.add (local.get $s) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $d (i32.add (local.get $d) (local.get $dc)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $s (i32.add (local.get $s) (i32.shl (i32.load offset=4 (local.get $p)) (i32.const 2))))
      (local.set $px (i32.add (local.get $px) (i32.const 1)))
      (br $pl)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $nl))))

;; Packs conv weights (any layout, read through strides) into gemm.wat's B panels:
;; dst[((g·NP + j)·K + k)·8 + jj] = w[k, g·copg + 8j + jj], k = (ky·kw + kx)·cpg + ci, 0 past copg.
;; Parameter block (i32): 0 src  4 dst  8 groups  12 kh  16 kw  20 cpg  24 copg  28 NP
;;   32 sKy  36 sKx  40 sCi  44 sCo (floats)
(func (export "pack_b") (param $p i32)
  (local $g i32) (local $j i32) (local $ky i32) (local $kx i32) (local $ci i32) (local $jj i32)
  (local $col i32) (local $base i32) (local $d i32) (local $copg i32) (local $sco i32)
  (local.set $d (i32.load offset=4 (local.get $p)))
  (local.set $copg (i32.load offset=24 (local.get $p)))
  (local.set $sco (i32.load offset=44 (local.get $p)))
  (block $gd (loop $gl
    (br_if $gd (i32.ge_u (local.get $g) (i32.load offset=8 (local.get $p))))
    (local.set $j (i32.const 0))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (i32.load offset=28 (local.get $p))))
      (local.set $ky (i32.const 0))
      (block $yd (loop $yl
        (br_if $yd (i32.ge_u (local.get $ky) (i32.load offset=12 (local.get $p))))
        (local.set $kx (i32.const 0))
        (block $xd (loop $xl
          (br_if $xd (i32.ge_u (local.get $kx) (i32.load offset=16 (local.get $p))))
          (local.set $ci (i32.const 0))
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $ci) (i32.load offset=20 (local.get $p))))
            (local.set $base (i32.add (i32.add
              (i32.mul (local.get $ky) (i32.load offset=32 (local.get $p)))
              (i32.mul (local.get $kx) (i32.load offset=36 (local.get $p))))
              (i32.mul (local.get $ci) (i32.load offset=40 (local.get $p)))))
            (local.set $jj (i32.const 0))
            (loop $ql
              (local.set $col (i32.add (i32.shl (local.get $j) (i32.const 3)) (local.get $jj)))
              (f32.store (local.get $d)
                (if (result f32) (i32.lt_u (local.get $col) (local.get $copg))
                  (then (f32.load (i32.add (i32.load (local.get $p)) (i32.shl (i32.add (local.get $base)
                    (i32.mul (i32.add (i32.mul (local.get $g) (local.get $copg)) (local.get $col)) (local.get $sco))) (i32.const 2)))))
                  (else (f32.const 0))))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
              (br_if $ql (i32.lt_u (local.get $jj) (i32.const 8))))
            (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
            (br $cl)))
          (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
          (br $xl)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $yl)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl)))
    (local.set $g (i32.add (local.get $g) (i32.const 1)))
    (br $gl))))

;; Stores the transpose of the 4×4 block with rows r0..r3: column j (one element of each row)
;; becomes the 16 bytes at dst + j·stride.
(func $transpose4_to (param $dst i32) (param $stride i32) (param $r0 v128) (param $r1 v128) (param $r2 v128) (param $r3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
  (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
  (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
  (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
  (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
  (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
  (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
  (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
  (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
  (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
  (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3))))

;; Channels-first input (N × C × H × W, contiguous) into the interior of the padded NHWC buffer,
;; channels padded with zeros up to Cp: a cache-blocked transpose. Each image row is taken in
;; blocks of 16 pixels (one 64-byte line of every channel's row is read, a contiguous 16 × Cp
;; run is written), and inside a block 4 channels × 4 pixels at a time through a 4×4 SIMD
;; transpose; leftover pixels and channels are copied one by one. Parameter block (i32):
;;   0 src  4 N  8 C  12 H  16 W  20 dst  24 Hp  28 Wp  32 Cp  36 top  40 left
(func (export "stage_cf") (param $p i32)
  (local $n i32) (local $h i32) (local $wb i32) (local $we i32) (local $w i32) (local $c i32)
  (local $cc i32) (local $cp i32) (local $ww i32) (local $hw4 i32) (local $cp4 i32)
  (local $srow i32) (local $drow i32) (local $s i32) (local $d i32)
  (local.set $cc (i32.load offset=8 (local.get $p)))
  (local.set $ww (i32.load offset=16 (local.get $p)))
  (local.set $cp (i32.load offset=32 (local.get $p)))
  (local.set $cp4 (i32.shl (local.get $cp) (i32.const 2)))
  (local.set $hw4 (i32.shl (i32.mul (i32.load offset=12 (local.get $p)) (local.get $ww)) (i32.const 2)))
  (block $ndone (loop $nl
    (br_if $ndone (i32.ge_u (local.get $n) (i32.load offset=4 (local.get $p))))
    (local.set $h (i32.const 0))
    (block $hdone (loop $hl
      (br_if $hdone (i32.ge_u (local.get $h) (i32.load offset=12 (local.get $p))))
      (local.set $srow (i32.add (i32.load (local.get $p))
        (i32.add (i32.mul (i32.mul (local.get $n) (local.get $cc)) (local.get $hw4))
          (i32.shl (i32.mul (local.get $h) (local.get $ww)) (i32.const 2)))))
      (local.set $drow (i32.add (i32.load offset=20 (local.get $p)) (i32.mul (i32.add
        (i32.mul (i32.add (i32.mul (local.get $n) (i32.load offset=24 (local.get $p)))
          (i32.add (local.get $h) (i32.load offset=36 (local.get $p)))) (i32.load offset=28 (local.get $p)))
        (i32.load offset=40 (local.get $p))) (local.get $cp4))))
      (local.set $wb (i32.const 0))
      (block $bdone (loop $bl
        (br_if $bdone (i32.ge_u (local.get $wb) (local.get $ww)))
        (local.set $we (i32.add (local.get $wb) (i32.const 16)))
        (if (i32.gt_u (local.get $we) (local.get $ww)) (then (local.set $we (local.get $ww))))
        (local.set $c (i32.const 0))
        (block $c4done (loop $c4l
          (br_if $c4done (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cc)))
          (local.set $s (i32.add (local.get $srow) (i32.add (i32.mul (local.get $c) (local.get $hw4)) (i32.shl (local.get $wb) (i32.const 2)))))
          (local.set $d (i32.add (local.get $drow) (i32.add (i32.mul (local.get $wb) (local.get $cp4)) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $w (local.get $wb))
          (block $vdone (loop $vl
            (br_if $vdone (i32.gt_u (i32.add (local.get $w) (i32.const 4)) (local.get $we)))
            (call $transpose4_to (local.get $d) (local.get $cp4)
              (v128.load (local.get $s))
              (v128.load (i32.add (local.get $s) (local.get $hw4)))
              (v128.load (i32.add (local.get $s) (i32.shl (local.get $hw4) (i32.const 1))))
              (v128.load (i32.add (local.get $s) (i32.mul (local.get $hw4) (i32.const 3)))))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.shl (local.get $cp4) (i32.const 2))))
            (local.set $w (i32.add (local.get $w) (i32.const 4)))
            (br $vl)))
          (block $sdone (loop $sl
            (br_if $sdone (i32.ge_u (local.get $w) (local.get $we)))
            (f32.store (local.get $d) (f32.load (local.get $s)))
            (f32.store offset=4 (local.get $d) (f32.load (i32.add (local.get $s) (local.get $hw4))))
            (f32.store offset=8 (local.get $d) (f32.load (i32.add (local.get $s) (i32.shl (local.get $hw4) (i32.const 1)))))
            (f32.store offset=12 (local.get $d) (f32.load (i32.add (local.get $s) (i32.mul (local.get $hw4) (i32.const 3)))))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (local.get $cp4)))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (br $sl)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $c4l)))
        ;; Leftover channels (C mod 4), then the zero channels up to Cp.
        (block $cdone (loop $cl
          (br_if $cdone (i32.ge_u (local.get $c) (local.get $cc)))
          (local.set $s (i32.add (local.get $srow) (i32.add (i32.mul (local.get $c) (local.get $hw4)) (i32.shl (local.get $wb) (i32.const 2)))))
          (local.set $d (i32.add (local.get $drow) (i32.add (i32.mul (local.get $wb) (local.get $cp4)) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $w (local.get $wb))
          (block $wdone (loop $wl
            (br_if $wdone (i32.ge_u (local.get $w) (local.get $we)))
            (f32.store (local.get $d) (f32.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (local.get $cp4)))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (br $wl)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $cl)))
        (if (i32.gt_u (local.get $cp) (local.get $cc))
          (then
            (local.set $w (local.get $wb))
            (block $zdone (loop $zl
              (br_if $zdone (i32.ge_u (local.get $w) (local.get $we)))
              (call $fill (i32.add (local.get $drow) (i32.shl (i32.add (i32.mul (local.get $w) (local.get $cp)) (local.get $cc)) (i32.const 2)))
                (i32.sub (local.get $cp) (local.get $cc)) (f32.const 0))
              (local.set $w (i32.add (local.get $w) (i32.const 1)))
              (br $zl)))))
        (local.set $wb (local.get $we))
        (br $bl)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $hl)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $nl))))

;; An NHWC result with Cp channels per pixel (first C used) to channels-first (N × C × HW), the
;; transpose of stage_cf: blocks of 16 pixels, 4 pixels × 4 channels per SIMD transpose, then
;; leftovers one by one. Parameter block (i32): 0 src  4 Cp  8 N  12 HW  16 C  20 dst
(func (export "unstage_cf") (param $p i32)
  (local $n i32) (local $pb i32) (local $pe i32) (local $px i32) (local $c i32) (local $cc i32)
  (local $hw i32) (local $hw4 i32) (local $cp4 i32) (local $s i32) (local $d i32) (local $sblk i32) (local $dimg i32)
  (local.set $cc (i32.load offset=16 (local.get $p)))
  (local.set $hw (i32.load offset=12 (local.get $p)))
  (local.set $hw4 (i32.shl (local.get $hw) (i32.const 2)))
  (local.set $cp4 (i32.shl (i32.load offset=4 (local.get $p)) (i32.const 2)))
  (block $ndone (loop $nl
    (br_if $ndone (i32.ge_u (local.get $n) (i32.load offset=8 (local.get $p))))
    (local.set $dimg (i32.add (i32.load offset=20 (local.get $p)) (i32.mul (i32.mul (local.get $n) (local.get $cc)) (local.get $hw4))))
    (local.set $pb (i32.const 0))
    (block $bdone (loop $bl
      (br_if $bdone (i32.ge_u (local.get $pb) (local.get $hw)))
      (local.set $pe (i32.add (local.get $pb) (i32.const 16)))
      (if (i32.gt_u (local.get $pe) (local.get $hw)) (then (local.set $pe (local.get $hw))))
      (local.set $sblk (i32.add (i32.load (local.get $p))
        (i32.mul (i32.add (i32.mul (local.get $n) (local.get $hw)) (local.get $pb)) (local.get $cp4))))
      (local.set $c (i32.const 0))
      (block $c4done (loop $c4l
        (br_if $c4done (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cc)))
        (local.set $s (i32.add (local.get $sblk) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $d (i32.add (local.get $dimg) (i32.add (i32.mul (local.get $c) (local.get $hw4)) (i32.shl (local.get $pb) (i32.const 2)))))
        (local.set $px (local.get $pb))
        (block $vdone (loop $vl
          (br_if $vdone (i32.gt_u (i32.add (local.get $px) (i32.const 4)) (local.get $pe)))
          (call $transpose4_to (local.get $d) (local.get $hw4)
            (v128.load (local.get $s))
            (v128.load (i32.add (local.get $s) (local.get $cp4)))
            (v128.load (i32.add (local.get $s) (i32.shl (local.get $cp4) (i32.const 1))))
            (v128.load (i32.add (local.get $s) (i32.mul (local.get $cp4) (i32.const 3)))))
          (local.set $s (i32.add (local.get $s) (i32.shl (local.get $cp4) (i32.const 2))))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $px (i32.add (local.get $px) (i32.const 4)))
          (br $vl)))
        (block $sdone (loop $sl
          (br_if $sdone (i32.ge_u (local.get $px) (local.get $pe)))
          (f32.store (local.get $d) (f32.load (local.get $s)))
          (f32.store (i32.add (local.get $d) (local.get $hw4)) (f32.load offset=4 (local.get $s)))
          (f32.store (i32.add (local.get $d) (i32.shl (local.get $hw4) (i32.const 1))) (f32.load offset=8 (local.get $s)))
          (f32.store (i32.add (local.get $d) (i32.mul (local.get $hw4) (i32.const 3))) (f32.load offset=12 (local.get $s)))
          (local.set $s (i32.add (local.get $s) (local.get $cp4)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $px (i32.add (local.get $px) (i32.const 1)))
          (br $sl)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $c4l)))
      (block $cdone (loop $cl
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cc)))
        (local.set $s (i32.add (local.get $sblk) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $d (i32.add (local.get $dimg) (i32.add (i32.mul (local.get $c) (local.get $hw4)) (i32.shl (local.get $pb) (i32.const 2)))))
        (local.set $px (local.get $pb))
        (block $pdone (loop $pl
          (br_if $pdone (i32.ge_u (local.get $px) (local.get $pe)))
          (f32.store (local.get $d) (f32.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (local.get $cp4)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $px (i32.add (local.get $px) (i32.const 1)))
          (br $pl)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $pb (local.get $pe))
      (br $bl)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $nl))))
