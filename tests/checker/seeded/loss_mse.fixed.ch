// Regression of two quantities per point (a + b and a·b) with a 2 → 16 → 2 net.
// Fixed: the output layer has 2 units.
let n = 40
let xs = [0.0; 80]
let ys = [0.0; 80]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    let b = (i % 5) * 0.25 - 0.5
    xs[2 * i] = a
    xs[2 * i + 1] = b
    ys[2 * i] = a + b
    ys[2 * i + 1] = a * b
    i = i + 1
}
let X = tensor(xs, [40, 2])
let Y = tensor(ys, [40, 2])
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 2], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([2]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(X, W1, b1))
    let loss = nn_mse_loss(nn_linear(h, W2, b2), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    if epoch % 20 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
    epoch = epoch + 1
}
