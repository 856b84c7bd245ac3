;; Seeded uniform draws for the default initializers (src/runtime/random.ts mulberry32's
;; fillSigned), four at a time. mulberry32's state is a counter (state + k·0x6d2b79f5 for the
;; k-th draw), so four lanes start one step apart and advance four steps per iteration; each lane
;; mixes its counter as the TypeScript does (i32 multiply = Math.imul), and the value
;; (u · 2^-31 − 1) · bound is computed in f64 as JavaScript does, then rounded to f32 once, as a
;; Float32Array store rounds: the same bits as the TypeScript loop.

;; One lane step of the mix: t = imul(t ^ (t >>> 15), t | 1); t ^= t + imul(t ^ (t >>> 7), t | 61); t ^ (t >>> 14).
(func $mix4 (param $s v128) (result v128)
  (local $t v128)
  (local.set $t (i32x4.mul
    (v128.xor (local.get $s) (i32x4.shr_u (local.get $s) (i32.const 15)))
    (v128.or (local.get $s) (i32x4.splat (i32.const 1)))))
  (local.set $t (v128.xor (local.get $t)
    (i32x4.add (local.get $t)
      (i32x4.mul
        (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 7)))
        (v128.or (local.get $t) (i32x4.splat (i32.const 61)))))))
  (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 14))))

;; Writes n values at ptr: draw k (k = 1 … n) of the generator whose state is `state`, as
;; (u_k · 2^-31 − 1) · bound. The caller advances its state by n steps.
(func (export "rand_signed") (param $ptr i32) (param $n i32) (param $state i32) (param $bound f64)
  (local $end i32) (local $s v128) (local $u v128) (local $lo v128) (local $hi v128)
  (local $scale v128) (local $one v128) (local $b v128) (local $st i32) (local $t i32)
  (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 2))))
  ;; lanes: state + 1·C, + 2·C, + 3·C, + 4·C
  (local.set $s (i32x4.add (i32x4.splat (local.get $state))
    (v128.const i32x4 0x6d2b79f5 0xda56f3ea 0x47826ddf 0xb4ade7d4)))
  (local.set $scale (f64x2.splat (f64.const 0x1p-31)))
  (local.set $one (f64x2.splat (f64.const 1)))
  (local.set $b (f64x2.splat (local.get $bound)))
  (block $d4 (loop $l4
    (br_if $d4 (i32.gt_u (i32.add (local.get $ptr) (i32.const 16)) (local.get $end)))
    (local.set $u (call $mix4 (local.get $s)))
    (local.set $lo (f32x4.demote_f64x2_zero
      (f64x2.mul (f64x2.sub (f64x2.mul (f64x2.convert_low_i32x4_u (local.get $u)) (local.get $scale))
        (local.get $one)) (local.get $b))))
    (local.set $hi (f32x4.demote_f64x2_zero
      (f64x2.mul (f64x2.sub (f64x2.mul (f64x2.convert_low_i32x4_u
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u) (local.get $u)))
        (local.get $scale)) (local.get $one)) (local.get $b))))
    (v128.store (local.get $ptr)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi)))
    (local.set $s (i32x4.add (local.get $s) (i32x4.splat (i32.const 0xb4ade7d4))))
    (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
    (br $l4)))
  ;; the last 0–3 values, one lane at a time
  (local.set $st (i32x4.extract_lane 0 (local.get $s)))
  (block $d1 (loop $l1
    (br_if $d1 (i32.ge_u (local.get $ptr) (local.get $end)))
    (local.set $t (i32x4.extract_lane 0 (call $mix4 (i32x4.splat (local.get $st)))))
    (f32.store (local.get $ptr) (f32.demote_f64
      (f64.mul (f64.sub (f64.mul (f64.convert_i32_u (local.get $t)) (f64.const 0x1p-31)) (f64.const 1))
        (local.get $bound))))
    (local.set $st (i32.add (local.get $st) (i32.const 0x6d2b79f5)))
    (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
    (br $l1))))
