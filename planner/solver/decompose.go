package solver

func (sr *search) decompose() {}
