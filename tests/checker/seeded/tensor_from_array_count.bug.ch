// Two-class classifier whose targets are read as one-hot rows [40, 2].
// Seeded bug: the labels were stored one per point ([0.0; 40]), not one-hot, so the data has 40 values, not 80.
let n = 40
let xs = [0.0; 80]
let labels = [0.0; 40]
let i = 0
while i < n {
    let a = (i % 8) * 0.25 - 1.0
    let b = (i / 8) * 0.4 - 0.8
    xs[2 * i] = a
    xs[2 * i + 1] = b
    if a * a + b * b < 0.5 { labels[i] = 1.0 }
    i = i + 1
}
let X = tensor_from_array(xs, [40, 2])
let Y = tensor_from_array(labels, [40, 2])
//      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: tensor_from_array() data length 40 doesn't match shape [40, 2] (expected 80)
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 2], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([2]), true)
let opt = sgd_create(0.5)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(X, W1, b1))
    let loss = nn_cross_entropy_logits(nn_linear(h, W2, b2), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    if epoch % 20 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
    epoch = epoch + 1
}
