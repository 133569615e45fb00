// A 2 → 16 → 8 → 1 net built from the typed layer helper dense_relu (LANGUAGE.md §9.5).
// Fixed: the second layer is applied to h1.
fn dense_relu(h: tensor<float32, [batch, in_features]>, W: tensor<float32, [in_features, out]>,
              b: tensor<float32, [out]>) -> tensor<float32, [batch, out]> {
    nn_relu(nn_linear(h, W, b))
}
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
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 8], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([8]), true)
let W3 = tensor_requires_grad(tensor_randn_seeded([8, 1], 9), true)
let b3 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h1 = dense_relu(X, W1, b1)
    let h2 = dense_relu(h1, W2, b2)
    let loss = loss_mse(nn_linear(h2, W3, b3), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2, W3, b3])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]  W3 = u[4]  b3 = u[5]
    epoch = epoch + 1
}
