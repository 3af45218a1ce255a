Console.WriteLine("placeholder until hosting lands");
