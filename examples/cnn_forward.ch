// A small CNN forward pass with the functional CPU operations: conv → relu → max-pool → linear.
// Image : un « 8 » stylisé de 6×6 pixels, deux images par lot.
let pixels = [0.0; 72]
let p = 0
while p < 72 {
    let row = (p % 36) / 6
    let col = p % 6
    if row == 0 or row == 5 or col == 0 or col == 5 or row == 2 {
        pixels[p] = 1.0
    }
    p = p + 1
}
let images: tensor<float32, [2, 1, 6, 6]> = tensor(pixels, [2, 1, 6, 6])

let features = nn_conv2d(images, 1, 4, 3, 1, 0)          // [2, 4, 4, 4]
let activated = tensor_relu(features)
let pooled = nn_maxpool2d(activated, 2, 2)                 // [2, 4, 2, 2]
let flat = tensor_reshape(pooled, [2, 16])

let W = tensor_randn_seeded([16, 3], 2024)
let b = tensor_zeros([3])
let scores = nn_linear(flat, W, b)                         // [2, 3]
print("feature map shape:", tensor_shape(features))
print("pooled shape:", tensor_shape(pooled))
print("class scores:", tensor_get_data(scores))
print("class probabilities (image 1):", tensor_get_data(nn_softmax(scores[0])))
