// Scores for a batch, then for one new point, with a fixed 2 → 3 linear map.
// Seeded bug: the new point is a 1-D tensor [2]; tensor_matmul only accepts 2-D matrices.
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
let batch_scores = tensor_matmul(X, W)
print("batch scores:", tensor_shape(batch_scores))
let x_new = tensor([0.25, -0.5])
let scores = tensor_matmul(x_new, W)
//           ^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: tensor_matmul() currently only supports 2D matrices
print("class of the new point:", argmax(scores))
