// Regression net 3 → 16 → 1: the inputs gained a third feature (a²), the first layer did not.
// Fixed: W1 is [3, 16].
let n = 40
let xs = [0.0; 120]
let ys = [0.0; 40]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    xs[3 * i] = a
    xs[3 * i + 1] = 0.5 - a
    xs[3 * i + 2] = a * a
    ys[i] = 2.0 * a * a - a + 0.25
    i = i + 1
}
let X = tensor(xs, [40, 3])
let Y = tensor(ys, [40, 1])
let W1 = tensor_requires_grad(tensor_randn_seeded([3, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 1], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(X, W1, b1))
    let loss = loss_mse(nn_linear(h, W2, b2), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    if epoch % 20 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
    epoch = epoch + 1
}
