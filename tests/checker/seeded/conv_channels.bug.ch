// A CNN forward pass on two 3-channel (RGB) 6×6 images.
// Seeded bug: the convolution still declares 1 input channel (it was written for grayscale images).
let pixels = [0.0; 216]
let p = 0
while p < 216 {
    let channel = p / 36
    let col = p % 6
    if col == channel or col == 5 - channel { pixels[p] = 1.0 }
    p = p + 1
}
let images = tensor(pixels, [2, 3, 6, 6])
let features = nn_conv2d(images, 1, 4, 3, 1, 0)
//             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: nn_conv2d(): input channels 3 doesn't match in_channels 1
let pooled = nn_maxpool2d(nn_relu(features), 2, 2)
let flat = tensor_reshape(pooled, [2, 16])
let W = tensor_randn_seeded([16, 3], 2024)
let b = tensor_zeros([3])
let scores = nn_linear(flat, W, b)
print("class scores:", tensor_get_data(scores))
