// Regression with a 2 → 16 → 1 network, written the way Charl training programs usually are
// (LANGUAGE.md §6.10): data from [0.0; n] arrays filled in a loop, seeded weights, nn_linear, nn_relu,
// loss_mse and sgd_step. `charl check --show-types` must know the full shape of every tensor here.
let n = 40
let xs = [0.0; 2 * n]
let ys = [0.0; n]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    let b = (i % 5) * 0.25 - 0.5
    xs[2 * i] = a
    xs[2 * i + 1] = b
    ys[i] = 1.5 * a - 0.7 * b * a + 0.2
    i = i + 1
}
let X = tensor_from_array(xs, [n, 2])
let Y = tensor_from_array(ys, [n, 1])

let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 1], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)

let epoch = 0
while epoch < 200 {
    let h = nn_relu(nn_linear(X, W1, b1))
    let pred = nn_linear(h, W2, b2)
    let loss = loss_mse(pred, Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]
    b1 = u[1]
    W2 = u[2]
    b2 = u[3]
    if epoch % 50 == 0 {
        print("epoch", epoch, "loss", tensor_item(loss))
    }
    epoch = epoch + 1
}

// Evaluate point by point with the trained weights.
let total = 0.0
let k = 0
while k < n {
    let x = tensor([xs[2 * k], xs[2 * k + 1]], [1, 2])
    let y = nn_linear(nn_relu(nn_linear(x, W1, b1)), W2, b2)
    let err = tensor_item(y) - ys[k]
    total = total + err * err
    k = k + 1
}
let mse = total / n
print("mean squared error:", mse)
