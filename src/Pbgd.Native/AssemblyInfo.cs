using System.Runtime.CompilerServices;

// Every native signature is blittable (pointers and primitives): no marshalling stubs, no hidden copies.
[assembly: DisableRuntimeMarshalling]
