// Fits y = 3x + 2 with plain scalar gradient descent: no tensors, just floats and loops.
let xs = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
let ys = [2.0, 5.0, 8.0, 11.0, 14.0, 17.0]
let w = 0.0
let b = 0.0
let lr = 0.02

fn mean_squared_error(w: float, b: float, xs: [float], ys: [float]) -> float {
    let total = 0.0
    for k in 0..len(xs) {
        let err = w * xs[k] + b - ys[k]
        total = total + err * err
    }
    total / len(xs) as float
}

for step in 0..2000 {
    let gw = 0.0
    let gb = 0.0
    for k in 0..len(xs) {
        let err = w * xs[k] + b - ys[k]
        gw = gw + 2.0 * err * xs[k]
        gb = gb + 2.0 * err
    }
    w = w - lr * gw / len(xs) as float
    b = b - lr * gb / len(xs) as float
    if step % 500 == 0 { print("step", step, "mse", mean_squared_error(w, b, xs, ys)) }
}
print("w ≈", w, "b ≈", b)
