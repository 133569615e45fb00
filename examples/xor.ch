// XOR with a 2 → 8 → 1 network: nn_linear, nn_sigmoid, MSE loss and functional SGD.
// Données : les quatre coins du carré unité.
let X: tensor<float32, [4, 2]> = tensor([0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], [4, 2])
let Y: tensor<float32, [4, 1]> = tensor([0.0, 1.0, 1.0, 0.0], [4, 1])

let W1 = tensor_requires_grad(tensor_randn_seeded([2, 8], 42), true)
let b1 = tensor_requires_grad(tensor_zeros([8]), true)
let W2 = tensor_requires_grad(tensor_randn_seeded([8, 1], 7), true)
let b2 = tensor_requires_grad(tensor_zeros([1]), true)
let opt = sgd_create(0.5)

let epoch = 0
while epoch < 2000 {
    let h = nn_sigmoid(nn_linear(X, W1, b1))      // [4, 8]
    let out = nn_sigmoid(nn_linear(h, W2, b2))    // [4, 1]
    let loss = nn_mse_loss(out, Y)
    tensor_backward(loss)
    let u = sgd_step(opt, [W1, b1, W2, b2])
    W1 = u[0]  b1 = u[1]  W2 = u[2]  b2 = u[3]
    if epoch % 500 == 0 {
        print("epoch", epoch, "loss", tensor_item(loss))
    }
    epoch = epoch + 1
}

let final = nn_sigmoid(nn_linear(nn_sigmoid(nn_linear(X, W1, b1)), W2, b2))
print("predictions →", tensor_get_data(final))
