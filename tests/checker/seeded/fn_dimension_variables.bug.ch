// Projection of 3-feature data onto a 2-D basis with the typed helper of LANGUAGE.md §9.5.
// Seeded bug: the basis P is [4, 2]; mm binds K = 3 from X, so the call conflicts (W205) and fails inside mm (E107).
fn mm(a: tensor<float32, [M, K]>, b: tensor<float32, [K, N]>) -> tensor<float32, [M, N]> {
    tensor_matmul(a, b)
}
let n = 40
let xs = [0.0; 120]
let i = 0
while i < n {
    let t = i * 0.05
    xs[3 * i] = t
    xs[3 * i + 1] = 1.0 - t
    xs[3 * i + 2] = t * t
    i = i + 1
}
let X = tensor(xs, [n, 3])
let P = tensor_randn_seeded([4, 2], 3)
let Z = mm(X, P)
//            ^ warning[W205]: argument 'b' of mm: K = 3 (from 'a') but got [4, 2]
//      ^^^^^^^^ error[E107]: this call fails inside mm: tensor_matmul(): incompatible shapes (40, 3) x (4, 2)
print("projected:", tensor_shape(Z))
print("spread:", tensor_sum(tensor_mul(Z, Z)))
