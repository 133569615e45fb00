// Class scores of 40 points with tensor_matmul (no training, fixed weights).
// Fixed: W is [2, 3].
let n = 40
let xs = [0.0; 80]
let i = 0
while i < n {
    xs[2 * i] = (i % 8) * 0.25 - 1.0
    xs[2 * i + 1] = (i / 8) * 0.4 - 0.8
    i = i + 1
}
let X = tensor(xs, [n, 2])
let W = tensor_randn_seeded([2, 3], 11)
let scores = tensor_matmul(X, W)
print("mean score:", tensor_mean(scores))
print("best flat index:", argmax(scores))
