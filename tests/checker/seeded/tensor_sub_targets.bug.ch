// Residuals of a fitted linear model, computed by hand.
// Seeded bug: the targets were built 1-D ([40]) while the predictions are [40, 1]; tensor_sub needs identical shapes.
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
let Y = tensor(ys)
let W = tensor_randn_seeded([2, 1], 3)
let b = tensor_zeros([1])
let pred = nn_linear(X, W, b)
let residual = tensor_sub(pred, Y)
//             ^^^^^^^^^^^^^^^^^^^ error[E107]: tensor_sub(): shape mismatch [40, 1] vs [40]
let squared = tensor_mul(residual, residual)
print("sum of squared residuals:", tensor_sum(squared))
