// Token classifier: nn_embedding rows of width `dim` feed a linear layer (LANGUAGE.md §6.3).
// Seeded bug: the linear weight was sized for width 8 while the embeddings have width dim = 4.
let vocab = 10
let dim = 4
let E = tensor_requires_grad(tensor_mul(tensor_randn_seeded([vocab, dim], 11), 0.5), true)
let W = tensor_requires_grad(tensor_mul(tensor_randn_seeded([8, 2], 12), 0.5), true)
let b = tensor_requires_grad(tensor_zeros([2]), true)
let tokens = tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
let onehot = [0.0; 20]
for tok in 0..vocab {
    onehot[tok * 2 + tok % 2] = 1.0
}
let Y = tensor(onehot, [10, 2])
let opt = sgd_create(0.5)
for epoch in 0..120 {
    let emb = nn_embedding(tokens, E)
    let logits = nn_linear(emb, W, b)
    //           ^^^^^^^^^^^^^^^^^^^^ error[E107]: linear(): input features 4 doesn't match weight input 8
    let loss = nn_cross_entropy_logits(logits, Y)
    tensor_backward(loss)
    let p = sgd_step(opt, [E, W, b])
    E = p[0]  W = p[1]  b = p[2]
    if epoch % 30 == 0 { print("epoch", epoch, "loss", tensor_item(loss)) }
}
