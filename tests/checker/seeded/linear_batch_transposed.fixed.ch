// Inference with fixed weights (nothing requires grad): a batch of 10 test points through 2 → 16 → 1.
// Fixed: the batch is shaped [10, 2] (the data is filled point by point).
let test_xs = [0.0; 20]
let k = 0
while k < 10 {
    test_xs[2 * k] = k * 0.2 - 1.0
    test_xs[2 * k + 1] = 1.0 - k * 0.1
    k = k + 1
}
let X_test = tensor(test_xs, [10, 2])
let W1 = tensor_randn_seeded([2, 16], 7)
let b1 = tensor_zeros([16])
let W2 = tensor_randn_seeded([16, 1], 8)
let b2 = tensor_zeros([1])
let h = nn_relu(nn_linear(X_test, W1, b1))
let pred = nn_linear(h, W2, b2)
print("predictions:", tensor_get_data(pred))
