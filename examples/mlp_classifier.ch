// A seeded MLP classifier on a synthetic two-class dataset (points inside / outside a circle).
// Everything is deterministic: tensor_randn_seeded is bit-exact (LANGUAGE.md §7.1).
let n = 40
let xs: [float32; 80] = [0.0; 80]
let ys: [float32; 80] = [0.0; 80]
let i = 0
while i < n {
    let a = (i % 8) as float - 3.5
    let b = (i / 8) as float - 2.0
    xs[2 * i] = a / 3.5
    xs[2 * i + 1] = b / 2.0
    let inside = a * a / 12.25 + b * b / 4.0 < 0.5
    if inside {
        ys[2 * i] = 1.0
    } else {
        ys[2 * i + 1] = 1.0
    }
    i = i + 1
}

let X = tensor(xs, [40, 2])
let Y = tensor(ys, [40, 2])

fn hidden_relu(x: tensor<float32, [B, I]>, W: tensor<float32, [I, O]>, b: tensor<float32, [O]>) -> tensor<float32, [B, O]> {
    nn_relu(nn_linear(x, W, b))
}

let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 2], 777), true)
let b2 = tensor_requires_grad(tensor_zeros([2]), true)
let opt = sgd_create(0.1)

let epoch = 0
while epoch < 300 {
    let h = hidden_relu(X, W1, b1)
    let logits = nn_linear(h, W2, b2)
    let loss = nn_cross_entropy_logits(logits, Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]; b1 = u[1]; W2 = u[2]; b2 = u[3];
    epoch = epoch + 1
}
print("final loss:", tensor_item(loss))

// Accuracy: compare argmax of each row with the label.
let correct = 0
let k = 0
while k < n {
    let row = nn_linear(hidden_relu(tensor([xs[2 * k], xs[2 * k + 1]], [1, 2]), W1, b1), W2, b2)
    let predicted = argmax(row)
    let label = if ys[2 * k] > 0.5 { 0 } else { 1 }
    if predicted == label { correct = correct + 1 }
    k = k + 1
}
print("accuracy:", correct as float / n as float)
