// An encoder function with a declared return type, applied to 40 points.
// Seeded bug: the encoder was widened to 16 units but still declares -> [B, 8] (W205 on the return type).
fn encoder(x: tensor<float32, [B, 2]>, W: tensor<float32, [2, 16]>,
           b: tensor<float32, [16]>) -> tensor<float32, [B, 8]> {
           //                           ^^^^^^^^^^^^^^^^^^^^^^^ warning[W205]: return type: annotation says tensor<float32, [B, 8]> but the value is tensor<float32, [B, 16]>
    nn_relu(nn_linear(x, W, b))
}
let n = 40
let xs = [0.0; 80]
let ys = [0.0; 40]
let i = 0
while i < n {
    let a = i * 0.05 - 1.0
    let b = (i % 5) * 0.25 - 0.5
    xs[2 * i] = a
    xs[2 * i + 1] = b
    ys[i] = 1.5 * a - 0.7 * b + 0.2
    i = i + 1
}
let X = tensor(xs, [40, 2])
let W = tensor_randn_seeded([2, 16], 5)
let b = tensor_zeros([16])
let codes = encoder(X, W, b)
print("code shape:", tensor_shape(codes))
print("mean activation:", tensor_mean(codes))
