# The chapter's first convolution: one neuron with 3 weights slides down 10 input numbers, one
# step at a time, and gives 8 outputs (10 − 3 + 1 = 8) — the same 3 weights and bias each time.
# A dense neuron would need 10 weights for 1 output.
from tensorflow import keras

model = keras.Sequential([
    keras.Input(shape=(10, 1)),
    keras.layers.Conv1D(1, kernel_size=3),
])
