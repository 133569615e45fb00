// Charl in ten lines: values, a function, a loop, and a tensor whose shape the checker knows.
let greeting = "Hello from Charl"
print(greeting, "👋")

fn square(x: int) -> int { x * x }

let squares = [0; 5]
for k in 0..5 { squares[k] = square(k) }
print("squares:", squares)

let m: tensor<float32, [2, 3]> = tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
print("m @ mᵀ =", m @ tensor_transpose(m))
