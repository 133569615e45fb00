// Regression net without bias vectors: the inputs carry a constant 1.0 column instead (§9.3 operators).
// Fixed: W1 has 3 rows.
let n = 40
let xs = [0.0; 120]
let ys = [0.0; 40]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    xs[3 * i] = a
    xs[3 * i + 1] = a * a
    xs[3 * i + 2] = 1.0
    ys[i] = 0.5 - 2.0 * a * a
    i = i + 1
}
let X = tensor(xs, [40, 3])
let Y = tensor(ys, [40, 1])
let W1 = tensor_requires_grad(tensor_randn_seeded([3, 16], 7), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 1], 8), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(X @ W1)
    let loss = loss_mse(h @ W2, Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, W2])
    W1 = u[0]  W2 = u[1]
    if epoch % 20 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
    epoch = epoch + 1
}
