// A small CNN: conv (8 maps) → relu → 2×2 max-pool → flatten → linear, on two 6×6 images.
// Seeded bug: the flatten size 128 = 8·4·4 forgets the pooling: the pooled maps hold 8·2·2 = 32 values per image.
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
let flat = tensor_reshape(pooled, [2, 128])
//         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: tensor_reshape(): cannot reshape tensor of 64 elements to shape [2, 128] (256 elements)
let W = tensor_randn_seeded([128, 3], 2024)
let b = tensor_zeros([3])
let scores = nn_linear(flat, W, b)
print("class scores:", tensor_get_data(scores))
