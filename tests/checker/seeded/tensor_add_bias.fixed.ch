// A forward pass spelled out as tensor_matmul then tensor_add (fixed weights, no training).
// Fixed: nn_linear adds the bias to every row.
let n = 40
let xs = [0.0; 80]
let i = 0
while i < n {
    xs[2 * i] = i * 0.05 - 1.0
    xs[2 * i + 1] = (i % 4) * 0.5 - 0.75
    i = i + 1
}
let X = tensor(xs, [n, 2])
let W = tensor_randn_seeded([2, 3], 5)
let b = tensor([0.1, 0.0, -0.1])
let logits = nn_linear(X, W, b)
let probs = nn_softmax(logits)
print("probabilities:", tensor_shape(probs))
print("first class:", argmax(probs))
