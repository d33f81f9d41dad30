"""KneeGrade training pipeline: ResNet18 and ConvNeXt KL graders trained from scratch."""
