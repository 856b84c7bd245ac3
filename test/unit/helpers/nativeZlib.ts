// Setup of the vitest project 'native-zlib': Node's zlib as the native inflater, as in the
// command line and the extension host.
import { useNodeZlib } from '../../../src/io/nodeZlib';

useNodeZlib();
