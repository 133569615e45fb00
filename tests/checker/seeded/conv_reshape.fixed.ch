// A small CNN: conv (8 maps) → relu → 2×2 max-pool → flatten → linear, on two 6×6 images.
// Fixed: the pooled maps are flattened to [2, 32] and W is [32, 3].
let pixels = [0.0; 72]
let p = 0
while p < 72 {
    let row = (p % 36) / 6
    let col = p % 6
    if row == 0 or row == 5 or col == 0 or col == 5 or row == 2 { pixels[p] = 1.0 }
    p = p + 1
}
let images = tensor(pixels, [2, 1, 6, 6])
let features = nn_conv2d(images, 1, 8, 3, 1, 0)
let pooled = nn_maxpool2d(nn_relu(features), 2, 2)
let flat = tensor_reshape(pooled, [2, 32])
let W = tensor_randn_seeded([32, 3], 2024)
let b = tensor_zeros([3])
let scores = nn_linear(flat, W, b)
print("class scores:", tensor_get_data(scores))
