package main

// for local testing: @@APIKEY@@

func main() {}
