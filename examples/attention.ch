// One self-attention block: positional encoding, causal mask, scaled dot-product attention.
let seq_len = 4
let d_model = 8

let tokens = tensor_randn_seeded([1, 4, 8], 11)
let positions = tensor_reshape(positional_encoding(seq_len, d_model), [1, 4, 8])
let x = tokens + positions                                  // broadcasting add (LANGUAGE.md §9.3)

let mask = attention_mask_causal(seq_len)
let result = attention_scaled(x, x, x, mask)
let output = result[0]                                      // [1, 4, 8]
let weights = result[1]                                     // [1, 4, 4]

print("output shape:", tensor_shape(output))
print("attention of the first token (causal: only itself):", tensor_get_data(weights[0][0]))
let heads = attention_multi_head(x, x, x, d_model, 2)
print("multi-head output shape:", tensor_shape(heads[0]))
