// A residual block: h is reassigned inside the loop body, then the skip connection adds it back.
// Fixed: W2 is [16, 16] and b2 has 16 entries.
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
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 16], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([16]), true)
let W3 = tensor_requires_grad(tensor_randn_seeded([16, 1], 9), true)
let b3 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(X, W1, b1))
    let skip = h
    h = nn_relu(nn_linear(h, W2, b2))
    h = tensor_add(skip, h)
    let loss = loss_mse(nn_linear(h, W3, b3), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2, W3, b3])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]  W3 = u[4]  b3 = u[5]
    epoch = epoch + 1
}
