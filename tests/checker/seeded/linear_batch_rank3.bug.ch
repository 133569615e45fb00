// Per-frame regression on 4 sequences of 10 frames with 2 features each ([batch, time, features]).
// Seeded bug: nn_linear takes [I] or [B, I]; a [4, 10, 2] batch of sequences is not flattened first.
let seqs = [0.0; 80]
let targets = [0.0; 40]
let i = 0
while i < 40 {
    let t = (i % 10) * 0.1
    seqs[2 * i] = t
    seqs[2 * i + 1] = (i / 10) * 0.3 - t
    targets[i] = 2.0 * t - 0.5
    i = i + 1
}
let seq = tensor(seqs, [4, 10, 2])
let Y = tensor(targets, [40, 1])
let W1 = tensor_requires_grad(tensor_randn_seeded([2, 16], 7), true)
let b1 = tensor_requires_grad(tensor_zeros([16]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([16, 1], 8), true)
let b2 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.05)
let epoch = 0
while epoch < 100 {
    let h = nn_relu(nn_linear(seq, W1, b1))
    //              ^^^^^^^^^^^^^^^^^^^^^^ error[E107]: linear(): invalid shapes - input: [4, 10, 2], weight: [2, 16], bias: [16]
    let loss = loss_mse(nn_linear(h, W2, b2), Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    if epoch % 20 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
    epoch = epoch + 1
}
