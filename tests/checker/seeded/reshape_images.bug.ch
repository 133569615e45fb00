// Four 4×4 grayscale images stored as flat rows, reshaped to [batch, channels, height, width].
// Seeded bug: the reshape asks for 8 images but there are 4 (64 values).
let pixels = [0.0; 64]
let p = 0
while p < 64 {
    let r = (p % 16) / 4
    let c = p % 4
    if r == c or r + c == 3 { pixels[p] = 1.0 }
    p = p + 1
}
let rows = tensor(pixels, [4, 16])
let images = tensor_reshape(rows, [8, 1, 4, 4])
//           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[E107]: tensor_reshape(): cannot reshape tensor of 64 elements to shape [8, 1, 4, 4] (128 elements)
let features = nn_conv2d(images, 1, 2, 3, 1, 0)
let pooled = nn_maxpool2d(nn_relu(features), 2, 2)
print("feature maps:", tensor_shape(features))
print("pooled:", tensor_shape(pooled))
