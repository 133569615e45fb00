// Regression net 2 → 16 → 1 whose input tensor carries a static type annotation (LANGUAGE.md §9.5).
// Seeded bug: the annotation says [2, 40] (features first) but the value is [40, 2]: a W205 warning, nothing fails.
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
let X: tensor<float32, [2, 40]> = tensor(xs, [40, 2])
//                                ^^^^^^^^^^^^^^^^^^^ warning[W205]: annotation says tensor<float32, [2, 40]> but the value is tensor<float32, [40, 2]>
let Y = tensor(ys, [40, 1])
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
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
