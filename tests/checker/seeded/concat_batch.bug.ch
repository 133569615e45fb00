// Training on a mini-batch of 20 points with a skip connection that concatenates the inputs.
// Seeded bug: the skip connection concatenates the full inputs X (40 rows) instead of the batch Xb (20 rows).
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
let bx = [0.0; 40]
let by = [0.0; 20]
let k = 0
while k < 20 {
    bx[2 * k] = xs[2 * k]  bx[2 * k + 1] = xs[2 * k + 1]  by[k] = ys[k]
    k = k + 1
}
let Xb = tensor(bx, [20, 2])
let Yb = tensor(by, [20, 1])
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([18, 1], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(Xb, W1, b1))
    let features = tensor_concat([h, X], 1)
    //             ^^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: concat(): batch size mismatch 20 vs 40
    let loss = loss_mse(nn_linear(features, W2, b2), Yb)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    epoch = epoch + 1
}
