// A CNN forward pass on two 3-channel (RGB) 6×6 images.
// Fixed: the convolution declares 3 input channels.
let pixels = [0.0; 216]
let p = 0
while p < 216 {
    let channel = p / 36
    let col = p % 6
    if col == channel or col == 5 - channel { pixels[p] = 1.0 }
    p = p + 1
}
let images = tensor(pixels, [2, 3, 6, 6])
let features = nn_conv2d(images, 3, 4, 3, 1, 0)
let pooled = nn_maxpool2d(nn_relu(features), 2, 2)
let flat = tensor_reshape(pooled, [2, 16])
let W = tensor_randn_seeded([16, 3], 2024)
let b = tensor_zeros([3])
let scores = nn_linear(flat, W, b)
print("class scores:", tensor_get_data(scores))
