// Residuals of a fitted linear model, computed by hand.
// Fixed: the targets are shaped [40, 1].
let n = 40
let xs = [0.0; 80]
let ys = [0.0; 40]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    let b = (i % 5) * 0.25 - 0.5
    xs[2 * i] = a
    xs[2 * i + 1] = b
    ys[i] = 1.5 * a - 0.7 * b + 0.2
    i = i + 1
}
let X = tensor(xs, [40, 2])
let Y = tensor(ys, [40, 1])
let W = tensor_randn_seeded([2, 1], 3)
let b = tensor_zeros([1])
let pred = nn_linear(X, W, b)
let residual = tensor_sub(pred, Y)
let squared = tensor_mul(residual, residual)
print("sum of squared residuals:", tensor_sum(squared))
