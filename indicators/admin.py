from django.contrib import admin

from .models import Benchmark, Commentary, Population, RagRule, Target

admin.site.register(Population)
admin.site.register(Target)
admin.site.register(RagRule)
admin.site.register(Benchmark)
admin.site.register(Commentary)
