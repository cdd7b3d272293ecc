puts 'Hello, wasi-vfs'
