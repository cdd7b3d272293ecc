print("a second file")
