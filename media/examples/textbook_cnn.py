# The convolutional network of the textbook chapter (합성곱 신경망의 구성 요소): two Conv2D +
# MaxPooling2D blocks with 'same' padding, then Dense layers.
#
# Hover a layer to see its output shape and the arithmetic behind it; put the cursor on a layer
# and run "ConvLens: Visualize Layer at Cursor" to see its feature maps. The weights start
# random: "ConvLens: Load Weights" with media/models/textbook-cnn.weights.h5 (or the Getting
# Started walkthrough) gives the ones trained on handwritten digits.
from tensorflow import keras

model = keras.Sequential()
model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu',
                              padding='same', input_shape=(28, 28, 1)))
model.add(keras.layers.MaxPooling2D(2))
model.add(keras.layers.Conv2D(64, kernel_size=(3, 3), activation='relu',
                              padding='same'))
model.add(keras.layers.MaxPooling2D(2))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(100, activation='relu'))
model.add(keras.layers.Dropout(0.4))
model.add(keras.layers.Dense(10, activation='softmax'))
