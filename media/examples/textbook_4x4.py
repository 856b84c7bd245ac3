# The chapter's two-dimensional stamp: a (3, 3) kernel on a (4, 4) input.
# 'valid' (no padding): the stamp fits in 2 × 2 places, so the feature map is (2, 2).
# 'same': one ring of zeros makes the input (6, 6), so the feature map stays (4, 4); a corner
# cell is stamped 4 times instead of once (the 4/2/1 vs 9/6/4 counts in the panel).
from tensorflow import keras

valid = keras.Sequential([
    keras.Input(shape=(4, 4, 1)),
    keras.layers.Conv2D(1, kernel_size=(3, 3)),
])

same = keras.Sequential([
    keras.Input(shape=(4, 4, 1)),
    keras.layers.Conv2D(1, kernel_size=(3, 3), padding='same'),
])
