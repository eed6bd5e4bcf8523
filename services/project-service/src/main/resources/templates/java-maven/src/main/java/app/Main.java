package app;

public class Main {
  static String greet(String name) {
    return "Hello, " + name + "!";
  }

  public static void main(String[] args) {
    System.out.println(greet(args.length > 0 ? args[0] : "Constellation"));
  }
}
