fn main() {
    println!("invariance-lab: under construction");
}
