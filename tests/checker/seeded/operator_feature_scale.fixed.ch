// Per-feature input scaling with the broadcasting `*` operator (§9.3) before a fixed linear map.
// Fixed: the scale vector has 3 entries.
let n = 40
let xs = [0.0; 120]
let i = 0
while i < n {
    xs[3 * i] = i * 10.0
    xs[3 * i + 1] = (i % 4) * 0.5
    xs[3 * i + 2] = 100.0 - i
    i = i + 1
}
let X = tensor(xs, [n, 3])
let scale = tensor([0.0025, 0.5, 0.01])
let scaled = X * scale
let W = tensor_randn_seeded([3, 2], 17)
let b = tensor_zeros([2])
let out = nn_linear(scaled, W, b)
print("outputs:", tensor_shape(out), "mean:", tensor_mean(out))
